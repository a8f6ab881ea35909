package dev.lb.runtime.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a configuration tree: a {@link ConfigMap}, a {@link ConfigList} or a {@link ConfigScalar}, each knowing
 * its path (e.g. {@code pools.app.backends[0]}) and where it was written.
 *
 * <p>Trees come from YAML ({@link YamlTreeReader}), with a location on every node, or from plain Java values
 * ({@link #fromJava(String, Object)}), without locations, so that code can build configuration without a file.
 */
public abstract sealed class ConfigNode permits ConfigMap, ConfigList, ConfigScalar {

    private final String path;
    private final SourceLocation location;

    ConfigNode(String path, SourceLocation location) {
        this.path = path;
        this.location = location;
    }

    /** Where this node sits in the configuration, e.g. {@code listeners[0].bind}; empty for the root. */
    public String path() {
        return path;
    }

    /** Where it was written, or null when the node was built from Java values. */
    public SourceLocation location() {
        return location;
    }

    /** What this node is, for "expected ..., got ..." messages: {@code "abc"}, {@code 500}, {@code a list}. */
    public abstract String describe();

    /**
     * Builds a tree from plain Java values: a {@link Map} with {@link String} keys (kept in iteration order), a
     * {@link Collection}, a {@link String}, a {@link Number}, a {@link Boolean}, a {@link Duration} (written as
     * {@code 2s}) or null. Nodes have no location.
     *
     * @param path the path of {@code value}, e.g. {@code pools.app.algorithm}; empty for a root
     * @throws IllegalArgumentException on any other type, or a map key that is not a string
     */
    public static ConfigNode fromJava(String path, Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, ConfigMap.Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(
                            "map keys must be strings, got " + e.getKey() + " at " + displayPath(path));
                }
                entries.put(key, new ConfigMap.Entry(null, fromJava(childPath(path, key), e.getValue())));
            }
            return new ConfigMap(path, null, entries);
        }
        if (value instanceof Collection<?> items) {
            List<ConfigNode> nodes = new ArrayList<>(items.size());
            for (Object item : items) {
                nodes.add(fromJava(indexPath(path, nodes.size()), item));
            }
            return new ConfigList(path, null, nodes);
        }
        return ConfigScalar.ofJava(path, value);
    }

    static String childPath(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String indexPath(String parent, int index) {
        return parent + "[" + index + "]";
    }

    static String displayPath(String path) {
        return path.isEmpty() ? "the top level" : path;
    }
}
