package dev.lb.runtime.config;

import java.util.Comparator;
import java.util.List;

/** Orders problems the way a reader fixes them: unlocated first, then by file, line and column. */
final class ConfigProblems {

    static final Comparator<ConfigProblem> BY_LOCATION = Comparator.comparing(ConfigProblem::location,
            Comparator.nullsFirst(Comparator.comparing(SourceLocation::file)
                    .thenComparingInt(SourceLocation::line)
                    .thenComparingInt(SourceLocation::column)));

    private ConfigProblems() {
    }

    /** A {@link ConfigException} holding {@code problems} sorted by location (stable for equal locations). */
    static ConfigException exception(List<ConfigProblem> problems) {
        return new ConfigException(problems.stream().sorted(BY_LOCATION).toList());
    }
}
