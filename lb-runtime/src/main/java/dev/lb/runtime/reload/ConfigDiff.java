package dev.lb.runtime.reload;

import dev.lb.runtime.config.BackendConfig;
import dev.lb.runtime.config.ConfigList;
import dev.lb.runtime.config.ConfigMap;
import dev.lb.runtime.config.ConfigScalar;
import dev.lb.runtime.config.HealthConfig;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.PluginSpec;
import dev.lb.runtime.config.PoolConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What differs between a running configuration and a new one, by listener and pool name.
 *
 * <p>A listener is unchanged when its name, protocol, bind address, pool name and every setting are equal; it then
 * keeps its socket and its connections. A pool is unchanged when its algorithm (type and settings), backends (name,
 * address, weight, labels, in order) and health block are equal. What a reload cannot apply (notifiers, the plugins
 * directory, the admin listener, the drain timeout) is listed in {@link #restartRequired()}.
 *
 * @param listenersAdded names only in the new configuration
 * @param listenersRemoved names only in the running one
 * @param listenersChanged names in both, with a different setting
 * @param listenersUnchanged names in both, equal
 * @param poolsAdded pool names only in the new configuration
 * @param poolsRemoved pool names only in the running one
 * @param poolsChanged pool names in both, different
 * @param poolsUnchanged pool names in both, equal
 * @param restartRequired what changed but is only read at start, one line each
 */
public record ConfigDiff(
        List<String> listenersAdded, List<String> listenersRemoved, List<String> listenersChanged,
        List<String> listenersUnchanged, List<String> poolsAdded, List<String> poolsRemoved,
        List<String> poolsChanged, List<String> poolsUnchanged, List<String> restartRequired) {

    /** The difference from {@code running} to {@code next}. */
    public static ConfigDiff between(LbConfig running, LbConfig next) {
        Map<String, ListenerConfig> before = running.listeners().stream()
                .collect(Collectors.toMap(ListenerConfig::name, l -> l));
        Map<String, ListenerConfig> after = next.listeners().stream()
                .collect(Collectors.toMap(ListenerConfig::name, l -> l));
        List<String> lAdded = new ArrayList<>();
        List<String> lChanged = new ArrayList<>();
        List<String> lUnchanged = new ArrayList<>();
        for (ListenerConfig listener : next.listeners()) {
            ListenerConfig old = before.get(listener.name());
            (old == null ? lAdded : old.equals(listener) ? lUnchanged : lChanged).add(listener.name());
        }
        List<String> lRemoved = running.listeners().stream().map(ListenerConfig::name)
                .filter(n -> !after.containsKey(n)).toList();
        List<String> pAdded = new ArrayList<>();
        List<String> pChanged = new ArrayList<>();
        List<String> pUnchanged = new ArrayList<>();
        for (PoolConfig pool : next.pools().values()) {
            PoolConfig old = running.pools().get(pool.name());
            (old == null ? pAdded : samePool(old, pool) ? pUnchanged : pChanged).add(pool.name());
        }
        List<String> pRemoved = running.pools().keySet().stream().filter(n -> !next.pools().containsKey(n)).toList();
        List<String> restart = new ArrayList<>();
        if (!sameNotifiers(running, next)) {
            restart.add("notifiers");
        }
        if (!Objects.equals(running.pluginsDir(), next.pluginsDir())) {
            restart.add("plugins.dir");
        }
        if (!Objects.equals(running.admin(), next.admin()) && !(running.admin() != null && next.admin() != null
                && running.admin().bind().equals(next.admin().bind())
                && Objects.equals(running.admin().token(), next.admin().token()))) {
            restart.add("admin");
        }
        if (!Objects.equals(running.drainTimeout(), next.drainTimeout())) {
            restart.add("shutdown.drain-timeout");
        }
        return new ConfigDiff(List.copyOf(lAdded), lRemoved, List.copyOf(lChanged), List.copyOf(lUnchanged),
                List.copyOf(pAdded), pRemoved, List.copyOf(pChanged), List.copyOf(pUnchanged), List.copyOf(restart));
    }

    /** Whether nothing at all changed that a reload applies. */
    public boolean isEmpty() {
        return listenersAdded.isEmpty() && listenersRemoved.isEmpty() && listenersChanged.isEmpty()
                && poolsAdded.isEmpty() && poolsRemoved.isEmpty() && poolsChanged.isEmpty();
    }

    /** Whether two pools are configured alike. */
    public static boolean samePool(PoolConfig a, PoolConfig b) {
        return samePlugin(a.algorithm(), b.algorithm()) && a.backends().equals(b.backends())
                && sameHealth(a.health(), b.health()) && Objects.equals(a.outlierDetection(), b.outlierDetection());
    }

    /** Whether a backend keeps its identity across a reload: same name, address, weight and labels. */
    public static boolean sameBackend(BackendConfig a, BackendConfig b) {
        return a.equals(b);
    }

    /** Whether two health blocks are alike. */
    public static boolean sameHealth(HealthConfig a, HealthConfig b) {
        if (a == null || b == null) {
            return a == b;
        }
        return samePlugin(a.probe(), b.probe()) && a.interval().equals(b.interval())
                && a.timeout().equals(b.timeout()) && a.rise() == b.rise() && a.fall() == b.fall();
    }

    /** Whether two plugin choices have the same kind, type and settings (wherever they were written). */
    public static boolean samePlugin(PluginSpec a, PluginSpec b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.kind() == b.kind() && a.type().equals(b.type()) && canonical(a.settings()).equals(canonical(b.settings()));
    }

    private static boolean sameNotifiers(LbConfig a, LbConfig b) {
        if (a.notifiers().size() != b.notifiers().size()) {
            return false;
        }
        for (int i = 0; i < a.notifiers().size(); i++) {
            var x = a.notifiers().get(i);
            var y = b.notifiers().get(i);
            if (!samePlugin(x.plugin(), y.plugin()) || !x.events().equals(y.events())
                    || x.queueSize() != y.queueSize() || x.attempts() != y.attempts()) {
                return false;
            }
        }
        return true;
    }

    /** The settings as text that ignores where they were written and in which key order. */
    static String canonical(Object settings) {
        if (settings instanceof ConfigMap map) {
            StringBuilder text = new StringBuilder("{");
            for (String key : new TreeSet<>(map.keys())) {
                text.append(key).append('=').append(canonical(map.node(key).orElse(null))).append(',');
            }
            return text.append('}').toString();
        }
        if (settings instanceof ConfigList list) {
            return list.items().stream().map(ConfigDiff::canonical).collect(Collectors.joining(",", "[", "]"));
        }
        if (settings instanceof ConfigScalar scalar) {
            return scalar.type() + ":" + scalar.text();
        }
        return String.valueOf(settings);
    }
}
