package dev.lb.runtime.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a configuration tree into an {@link LbConfig}, checking every rule and every reference, collecting all the
 * problems instead of stopping at the first, then creating and closing every plugin chosen. One use per tree.
 */
final class ConfigBinder extends BinderSupport {

    private final PluginInstantiator plugins;

    ConfigBinder(HostResolver resolver, PluginInstantiator plugins) {
        super(new Addresses(resolver));
        this.plugins = plugins;
    }

    LbConfig bind(ConfigMap root, Path source, Path baseDir) throws ConfigException {
        // Asked for in this order so that "known:" lists them in the order of the reference.
        Optional<ConfigNode> listenersNode = root.node("listeners");
        Optional<ConfigNode> poolsNode = root.node("pools");
        Optional<ConfigNode> notifiersNode = root.node("notifiers");
        Map<String, PoolConfig> pools = new PoolBinder(this).readPools(root, poolsNode);
        List<ListenerConfig> listeners = new ListenerBinder(this)
                .readListeners(root, listenersNode, pools, baseDir);
        List<NotifierConfig> notifiers = new NotifierBinder(this).readNotifiers(notifiersNode);
        Path pluginsDir = readPluginsDir(root, baseDir);
        Duration drainTimeout = readDrainTimeout(root);
        AdminConfig admin = new AdminBinder(this).readAdmin(root, baseDir);
        LoggingConfig logging = new LoggingBinder(this).readLogging(root);
        problems.addAll(root.unknownKeys());
        for (PluginSpec spec : specs) {
            problems.addAll(plugins.check(spec));
        }
        if (!problems.isEmpty()) {
            throw ConfigProblems.exception(problems);
        }
        return new LbConfig(source, listeners, pools, notifiers, pluginsDir, drainTimeout, admin, logging);
    }

    private Path readPluginsDir(ConfigMap root, Path baseDir) {
        Optional<ConfigMap> block = safely(() -> root.map("plugins"), Optional.<ConfigMap>empty());
        if (block.isEmpty()) {
            return null;
        }
        Optional<String> dir = safely(() -> block.get().string("dir"), Optional.<String>empty());
        if (dir.isEmpty()) {
            return null;
        }
        Path resolved = baseDir.resolve(dir.get()).normalize();
        if (!Files.isDirectory(resolved)) {
            problem(block.get().peek("dir").orElseThrow(), "plugins directory " + resolved + " does not exist or is"
                    + " not a directory: create it, or remove plugins.dir");
        }
        return resolved;
    }

    private Duration readDrainTimeout(ConfigMap root) {
        Optional<ConfigMap> block = safely(() -> root.map("shutdown"), Optional.<ConfigMap>empty());
        return block.map(m -> safely(() -> m.duration("drain-timeout", DEFAULT_DRAIN_TIMEOUT),
                DEFAULT_DRAIN_TIMEOUT)).orElse(DEFAULT_DRAIN_TIMEOUT);
    }

}
