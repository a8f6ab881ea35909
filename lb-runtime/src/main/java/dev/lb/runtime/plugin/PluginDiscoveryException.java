package dev.lb.runtime.plugin;

import java.io.Serial;
import java.util.List;

/**
 * Plugins could not be loaded. Carries every problem found (each naming the jar or directory at fault and how to fix
 * it), not just the first, so that an operator fixes them all in one go.
 */
public final class PluginDiscoveryException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    /** @param problems what is wrong, one message each; at least one */
    public PluginDiscoveryException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    private static String format(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a PluginDiscoveryException needs at least one problem");
        }
        if (problems.size() == 1) {
            return problems.getFirst();
        }
        StringBuilder text = new StringBuilder(problems.size() + " problems loading plugins:");
        problems.forEach(problem -> text.append("\n  - ").append(problem));
        return text.toString();
    }

    /** Every problem found, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
