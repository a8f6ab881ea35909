package dev.lb.runtime.config;

/**
 * One thing wrong with a configuration: where, which setting, what is wrong and how to fix it.
 *
 * @param location where in the file, or null when the problem has no place (the file is missing)
 * @param path the setting's path, e.g. {@code pools.app.algorithm.type}; empty for the file as a whole
 * @param message what is wrong, e.g. {@code unknown algorithm "round-robn" (known: random, round-robin)}
 */
public record ConfigProblem(SourceLocation location, String path, String message) {

    /** {@code lb.yaml:12:5: pools.app.algorithm.type: unknown algorithm "round-robn" (known: ...)}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (location != null) {
            text.append(location).append(": ");
        }
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        return text.append(message).toString();
    }
}
