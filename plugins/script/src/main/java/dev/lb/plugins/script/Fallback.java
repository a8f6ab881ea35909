package dev.lb.plugins.script;

import dev.lb.spi.Backend;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The algorithm that places a request when the script cannot: it threw, returned nothing usable, or overran its
 * budget. Kept inside the plugin (a plugin cannot reach the runtime's catalog), so only the simple ones are offered.
 */
enum Fallback {
    /** Each eligible backend in turn. */
    ROUND_ROBIN("round-robin") {
        private final AtomicInteger position = new AtomicInteger();

        @Override
        Backend pick(Backend[] eligible) {
            return eligible.length == 0 ? null : eligible[Math.floorMod(position.getAndIncrement(), eligible.length)];
        }
    },
    /** An eligible backend at random. */
    RANDOM("random") {
        @Override
        Backend pick(Backend[] eligible) {
            return eligible.length == 0 ? null : eligible[ThreadLocalRandom.current().nextInt(eligible.length)];
        }
    };

    private final String configName;

    Fallback(String configName) {
        this.configName = configName;
    }

    abstract Backend pick(Backend[] eligible);

    String configName() {
        return configName;
    }

    static Optional<Fallback> named(String name) {
        for (Fallback fallback : values()) {
            if (fallback.configName.equals(name)) {
                return Optional.of(fallback);
            }
        }
        return Optional.empty();
    }
}
