package dev.lb.runtime.config;

import java.io.Serial;
import java.util.List;
import java.util.stream.Collectors;

/** A configuration was refused. Carries every problem found, in file order, not just the first. */
public final class ConfigException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
