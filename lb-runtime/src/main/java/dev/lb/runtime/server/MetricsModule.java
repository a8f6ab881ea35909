package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import dev.lb.runtime.metrics.LbMetrics;

/** The server's metrics: one {@link LbMetrics} that listeners, pools and the admin API share. */
final class MetricsModule extends AbstractModule {

    private final LbMetrics metrics;

    MetricsModule(LbMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void configure() {
        bind(LbMetrics.class).toInstance(metrics);
    }
}
