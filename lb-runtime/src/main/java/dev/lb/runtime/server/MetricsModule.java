package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.logging.AccessLog;
import dev.lb.runtime.metrics.LbMetrics;

/** The server's metrics ({@link LbMetrics}, shared by listeners, pools and the admin API) and access log. */
final class MetricsModule extends AbstractModule {

    private final LbMetrics metrics;

    MetricsModule(LbMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void configure() {
        bind(LbMetrics.class).toInstance(metrics);
    }

    /** The access log, with the configured format (replaced on reload through {@link LoadBalancer#accessLog()}). */
    @Provides
    @Singleton
    AccessLog accessLog(LbConfig config) {
        return new AccessLog(config.logging().accessLogPattern());
    }
}
