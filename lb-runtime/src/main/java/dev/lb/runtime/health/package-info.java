/**
 * Health checking, never on an event loop: active probes on their own scheduler with rise/fall thresholds
 * ({@link dev.lb.runtime.health.HealthChecker}), and passive outlier detection from live traffic
 * ({@link dev.lb.runtime.health.OutlierDetector}). Both report to the {@link dev.lb.runtime.pool.Pool}, which combines
 * them with drain into one state per backend and publishes the events.
 */
package dev.lb.runtime.health;
