package dev.lb.runtime.config;

import java.time.Duration;

/**
 * Passive health checking of a pool (outlier detection, as Envoy does it): live traffic that keeps failing against a
 * backend ejects it for a while.
 *
 * @param consecutiveFailures connect failures or resets in a row that eject a backend; 0 turns this check off
 *     (default 5)
 * @param consecutive5xx HTTP 5xx responses in a row that eject a backend; 0 turns this check off (default 5)
 * @param baseEjectionTime how long a first ejection lasts; each further ejection lasts one more base time (default 30s)
 * @param maxEjectionTime the longest an ejection lasts, however often the backend was ejected (default 5m)
 * @param maxEjectedPercent the largest share of the pool, in percent, that may be ejected at once; at least one
 *     backend may always be ejected unless this is 0 (default 50)
 */
public record OutlierConfig(
        int consecutiveFailures, int consecutive5xx, Duration baseEjectionTime, Duration maxEjectionTime,
        int maxEjectedPercent) {

    /** The defaults, as written with an empty {@code outlier-detection: {}} block. */
    public static OutlierConfig defaults() {
        return new OutlierConfig(5, 5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50);
    }
}
