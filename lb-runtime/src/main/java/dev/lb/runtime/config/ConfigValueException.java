package dev.lb.runtime.config;

import dev.lb.spi.PluginConfigException;
import java.io.Serial;

/**
 * A {@link PluginConfigException} that already knows where it points, thrown by {@link ConfigMap}'s getters and
 * {@link ConfigMap#invalid(String, String)}: it stays exact even when it comes from a nested section, whose keys the
 * plugin's top block does not hold.
 */
final class ConfigValueException extends PluginConfigException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient ConfigProblem problem;

    ConfigValueException(String key, ConfigProblem problem) {
        super(key, problem.message());
        this.problem = problem;
    }

    ConfigProblem problem() {
        return problem;
    }
}
