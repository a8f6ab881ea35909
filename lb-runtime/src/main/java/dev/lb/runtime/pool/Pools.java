package dev.lb.runtime.pool;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every pool of a server, by name, in configuration order. */
public final class Pools implements AutoCloseable {

    private final Map<String, Pool> byName;

    /** Wraps {@code pools}, keyed by name. */
    public Pools(Map<String, Pool> pools) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    }

    /**
     * The pool named {@code name}.
     *
     * @throws IllegalArgumentException when there is none
     */
    public Pool get(String name) {
        Pool pool = byName.get(name);
        if (pool == null) {
            throw new IllegalArgumentException("no pool named \"" + name + "\" (pools: "
                    + String.join(", ", byName.keySet()) + ")");
        }
        return pool;
    }

    /** Every pool, in configuration order. */
    public Collection<Pool> all() {
        return byName.values();
    }

    /** Closes every pool's algorithm. */
    @Override
    public void close() {
        byName.values().forEach(Pool::close);
    }
}
