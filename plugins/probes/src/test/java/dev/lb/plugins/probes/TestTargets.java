package dev.lb.plugins.probes;

import dev.lb.spi.Backend;
import dev.lb.spi.ProbeTarget;
import dev.lb.spi.testkit.TestBackend;
import java.time.Duration;

/** Probe targets on 127.0.0.1 for probe tests. */
final class TestTargets {

    private TestTargets() {
    }

    static ProbeTarget target(int port, Duration timeout) {
        return new Target(TestBackend.onPort("b-" + port, port), timeout);
    }

    record Target(Backend backend, Duration timeout) implements ProbeTarget {
    }
}
