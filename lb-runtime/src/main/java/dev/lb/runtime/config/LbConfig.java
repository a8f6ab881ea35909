package dev.lb.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A whole, validated configuration: immutable, every reference between its parts checked.
 *
 * @param source the file it was read from (for messages and relative paths), or null when built in code
 * @param listeners at least one, names unique
 * @param pools by name, in file order; every listener's pool is present
 * @param notifiers possibly none
 * @param pluginsDir where third-party plugin jars are found (relative paths resolve against the file's folder), or
 *     null for none
 * @param drainTimeout on shutdown, how long open connections may take to finish (default 30s)
 * @param admin the admin listener, or null for none
 * @param logging logger levels and the access-log format
 */
public record LbConfig(
        Path source,
        List<ListenerConfig> listeners,
        Map<String, PoolConfig> pools,
        List<NotifierConfig> notifiers,
        Path pluginsDir,
        Duration drainTimeout,
        AdminConfig admin,
        LoggingConfig logging) {

    /** A configuration without admin listener and with default logging. */
    public LbConfig(Path source, List<ListenerConfig> listeners, Map<String, PoolConfig> pools,
            List<NotifierConfig> notifiers, Path pluginsDir, Duration drainTimeout) {
        this(source, listeners, pools, notifiers, pluginsDir, drainTimeout, null, LoggingConfig.DEFAULT);
    }

    public LbConfig {
        logging = logging == null ? LoggingConfig.DEFAULT : logging;
        listeners = List.copyOf(listeners);
        pools = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pools));
        notifiers = List.copyOf(notifiers);
    }
}
