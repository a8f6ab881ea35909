package dev.lb.runtime.metrics;

/**
 * Builds Dropwizard metric names. A name is dot-separated and its variable parts (listener, pool, backend names) are
 * one segment each, so the Prometheus bridge can turn them into labels; a dot inside a name (as in the default
 * backend name {@code 127.0.0.1:9001}) would split the segment, so it is written as {@code _}.
 */
final class MetricNames {

    private MetricNames() {
    }

    /** {@code name} made safe as one segment of a dotted metric name. */
    static String segment(String name) {
        return name.isEmpty() ? "_" : name.replace('.', '_');
    }

    static String listener(String listener, String metric) {
        return "lb.listener." + segment(listener) + "." + metric;
    }

    static String backend(String pool, String backend, String metric) {
        return "lb.backend." + segment(pool) + "." + segment(backend) + "." + metric;
    }

    static String pool(String pool, String metric) {
        return "lb.pool." + segment(pool) + "." + metric;
    }
}
