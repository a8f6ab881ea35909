/**
 * Metrics: one Dropwizard {@link com.codahale.metrics.MetricRegistry} per server, the figures the data plane records
 * per listener, pool and backend ({@link dev.lb.runtime.metrics.LbMetrics}), JMX, and the Prometheus text exposition
 * through the Prometheus Java client's Dropwizard bridge ({@link dev.lb.runtime.metrics.PrometheusExposition}).
 */
package dev.lb.runtime.metrics;
