package dev.lb.runtime.pool;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two moving averages of one backend's latency, updated lock-free from any thread.
 *
 * <ul>
 *   <li>a plain EWMA, weighted by the time since the previous sample, so a burst of samples does not wipe out the
 *       history faster than a trickle would;</li>
 *   <li>a peak EWMA (Finagle's): a sample above the current value is taken at once; a lower one pulls the value
 *       down with the same time constant. One slow response is felt at once and forgotten gradually.</li>
 * </ul>
 *
 * <p>Both start at zero, meaning "nothing measured yet", and take the first sample as is.
 */
public final class LatencyTracker {

    /** The default time constant: after this long, an old value has decayed to 1/e of its weight. */
    public static final long DEFAULT_DECAY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final long decayNanos;
    private final AtomicLong ewma = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong lastSampleAt = new AtomicLong();

    /** A tracker with {@link #DEFAULT_DECAY_NANOS}. */
    public LatencyTracker() {
        this(DEFAULT_DECAY_NANOS);
    }

    /** A tracker whose averages forget an old value with time constant {@code decayNanos}. */
    public LatencyTracker(long decayNanos) {
        if (decayNanos <= 0) {
            throw new IllegalArgumentException("decayNanos must be positive, was " + decayNanos);
        }
        this.decayNanos = decayNanos;
    }

    /** Records one latency sample taken at {@code nowNanos} ({@link System#nanoTime()}). */
    public void record(long sampleNanos, long nowNanos) {
        long sample = Math.max(0, sampleNanos);
        long previousAt = lastSampleAt.getAndSet(nowNanos);
        double elapsed = Math.max(0, nowNanos - previousAt);
        // Weight of the old value: e^(-elapsed/tau). Samples close together barely move each other's weight.
        double keep = Math.exp(-elapsed / decayNanos);
        ewma.getAndUpdate(old -> old == 0 ? sample : Math.round(old * keep + sample * (1 - keep)));
        peak.getAndUpdate(old -> old == 0 || sample > old ? sample : Math.round(old * keep + sample * (1 - keep)));
    }

    /** The plain moving average in nanoseconds, zero while nothing has been measured. */
    public long ewmaNanos() {
        return ewma.get();
    }

    /** The peak-sensitive moving average in nanoseconds, zero while nothing has been measured. */
    public long peakEwmaNanos() {
        return peak.get();
    }
}
