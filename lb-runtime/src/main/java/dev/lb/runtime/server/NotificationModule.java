package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.NotifierConfig;
import dev.lb.runtime.notify.HealthEventSink;
import dev.lb.runtime.notify.NotificationDispatcher;
import dev.lb.spi.Notifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The notifiers and the dispatcher that feeds them; the dispatcher is the health checkers' event sink. */
final class NotificationModule extends AbstractModule {

    private final Duration initialBackoff;

    NotificationModule(Duration initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    @Override
    protected void configure() {
        bind(HealthEventSink.class).to(NotificationDispatcher.class);
    }

    @Provides
    @Singleton
    NotificationDispatcher dispatcher(LbConfig config, PluginFactory plugins) {
        List<NotificationDispatcher.Registration> registrations = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        try {
            for (NotifierConfig notifier : config.notifiers()) {
                String type = notifier.plugin().type();
                int index = seen.merge(type, 1, Integer::sum);
                String name = index == 1 ? type : type + "-" + index;
                Notifier instance = plugins.notifier(notifier.plugin());
                registrations.add(new NotificationDispatcher.Registration(name, instance, notifier.events(),
                        notifier.queueSize(), notifier.attempts(), notifier.backoff()));
            }
        } catch (RuntimeException e) {
            registrations.forEach(r -> Closeables.closeQuietly(r.notifier(), e));
            throw e;
        }
        return new NotificationDispatcher(registrations, initialBackoff);
    }
}
