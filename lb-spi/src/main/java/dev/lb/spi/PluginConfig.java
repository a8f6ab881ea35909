package dev.lb.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A plugin's own block of configuration, read-only, as written in the configuration file.
 *
 * <p>For the configuration
 * <pre>{@code
 * algorithm: { type: consistent-hash, key: "header:X-User", replicas: 160 }
 * }</pre>
 * the chosen provider receives a {@code PluginConfig} holding {@code key} and {@code replicas} ({@code type} is the
 * runtime's). The typed getters convert values and, when a value is missing or malformed, throw a
 * {@link PluginConfigException} that the runtime reports with the file, line and column of the offending value.
 *
 * <p><b>Unknown keys.</b> The runtime remembers which keys a provider read while creating its plugin, with any getter
 * including those with a default. A key that was never read is reported as unknown, listing the keys that were read
 * as the known ones. A provider should therefore read every key it accepts, even when it then uses the default.
 *
 * <p>Durations are written as a number and a unit: {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d}.
 */
public interface PluginConfig {

    /** Where this block sits in the configuration, e.g. {@code pools.app.algorithm}; for messages. */
    String path();

    /** The keys present in this block, in the order written. */
    Set<String> keys();

    /** Whether {@code key} is present. Counts as reading the key. */
    boolean has(String key);

    /** The value of {@code key} as text, empty when absent; a list or a block is an error. */
    Optional<String> string(String key);

    /** The value of {@code key} as text, or {@code defaultValue} when absent. */
    String string(String key, String defaultValue);

    /** The value of {@code key} as an integer in {@code [min, max]}, or {@code defaultValue} when absent. */
    long integer(String key, long defaultValue, long min, long max);

    /** The value of {@code key} as a number, or {@code defaultValue} when absent. */
    double number(String key, double defaultValue);

    /** The value of {@code key} as {@code true} or {@code false}, or {@code defaultValue} when absent. */
    boolean bool(String key, boolean defaultValue);

    /** The value of {@code key} as a duration such as {@code 500ms} or {@code 2s}, or {@code defaultValue}. */
    Duration duration(String key, Duration defaultValue);

    /**
     * The value of {@code key} as a file path, resolved the way the runtime resolves its own paths: against the folder
     * of the configuration file it was written in (the working directory for a configuration built in code). Empty
     * when absent. Whether the file exists is the plugin's to check.
     */
    default Optional<Path> file(String key) {
        return string(key).map(text -> Path.of(text).toAbsolutePath().normalize());
    }

    /** The value of {@code key} as a list of texts; a single text is read as a list of one; empty when absent. */
    List<String> strings(String key);

    /** The nested block under {@code key}, empty when absent; anything but a block is an error. */
    Optional<PluginConfig> section(String key);

    /**
     * An exception that reports {@code message} against {@code key} (or against this whole block when {@code key}
     * is null), for checks a provider makes itself. Throw what it returns.
     */
    PluginConfigException invalid(String key, String message);
}
