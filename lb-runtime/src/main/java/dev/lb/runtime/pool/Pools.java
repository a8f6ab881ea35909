package dev.lb.runtime.pool;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every pool of a server, by name, in configuration order. */
public final class Pools implements AutoCloseable {

    // Copied on write by a reload, read without locking.
    private volatile Map<String, Pool> byName;

    /** Wraps {@code pools}, keyed by name. */
    public Pools(Map<String, Pool> pools) {
        this.byName = new LinkedHashMap<>(pools);
    }

    /** Whether there is a pool named {@code name}. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** Adds (or replaces) {@code pool}, for a configuration reload. */
    public synchronized void put(Pool pool) {
        Map<String, Pool> next = new LinkedHashMap<>(byName);
        next.put(pool.name(), pool);
        byName = next;
    }

    /** Removes the pool named {@code name} without closing it, for a configuration reload. */
    public synchronized void remove(String name) {
        Map<String, Pool> next = new LinkedHashMap<>(byName);
        next.remove(name);
        byName = next;
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
        return List.copyOf(byName.values());
    }

    /** Closes every pool's algorithm. */
    @Override
    public void close() {
        byName.values().forEach(Pool::close);
    }
}
