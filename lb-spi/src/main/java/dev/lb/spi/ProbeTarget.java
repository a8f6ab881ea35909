package dev.lb.spi;

import java.time.Duration;

/** What one health check is aimed at, and how long it may take. Implemented by the runtime. */
public interface ProbeTarget {

    /** The backend to check. */
    Backend backend();

    /**
     * How long the check may take. The runtime counts a check that has not completed by then as failed, and a probe
     * should stop waiting at that point too (for example by using it as its connect timeout).
     */
    Duration timeout();
}
