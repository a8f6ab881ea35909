package dev.lb.runtime.pool;

import dev.lb.spi.Algorithm;
import dev.lb.spi.Backend;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Backends and a simple round-robin algorithm for unit tests. */
public final class TestBackends {

    private TestBackends() {
    }

    /** Backends named {@code names}, on distinct loopback ports (nothing listens: they are only identities). */
    public static List<BackendState> named(String... names) {
        List<BackendState> backends = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            backends.add(new BackendState(names[i], new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000 + i),
                    1, Map.of()));
        }
        return backends;
    }

    /** Round robin over the eligible backends; counts the pickers it built. */
    public static final class RoundRobin implements Algorithm {

        public final AtomicInteger pickersBuilt = new AtomicInteger();
        private final AtomicInteger position = new AtomicInteger();

        @Override
        public dev.lb.spi.Picker newPicker(dev.lb.spi.PoolSnapshot snapshot) {
            pickersBuilt.incrementAndGet();
            List<Backend> eligible = snapshot.eligible();
            return context -> eligible.isEmpty() ? null
                    : eligible.get(Math.floorMod(position.getAndIncrement(), eligible.size()));
        }
    }
}
