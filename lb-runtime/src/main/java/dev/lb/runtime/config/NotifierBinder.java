package dev.lb.runtime.config;

import dev.lb.spi.EventType;
import dev.lb.spi.PluginKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code notifiers}: each notifier's plugin and the runtime's settings for feeding it. */
final class NotifierBinder extends BinderSupport {

    NotifierBinder(BinderSupport shared) {
        super(shared);
    }

    List<NotifierConfig> readNotifiers(Optional<ConfigNode> node) {
        List<NotifierConfig> notifiers = new ArrayList<>();
        if (node.isEmpty() || isNull(node.get())) {
            return notifiers;
        }
        if (!(node.get() instanceof ConfigList list)) {
            problem(node.get(), "expected a list of notifiers, e.g. notifiers: [{ type: log }], got "
                    + node.get().describe());
            return notifiers;
        }
        for (ConfigNode item : list.items()) {
            if (item instanceof ConfigMap m) {
                notifiers.add(readNotifier(m));
            } else {
                PluginSpec spec = pluginSpecOf(PluginKind.NOTIFIER, item);
                if (spec != null) {
                    notifiers.add(new NotifierConfig(spec, EnumSet.allOf(EventType.class), DEFAULT_QUEUE_SIZE,
                            DEFAULT_ATTEMPTS));
                }
            }
        }
        return notifiers;
    }

    NotifierConfig readNotifier(ConfigMap m) {
        PluginSpec spec = pluginSpecOf(PluginKind.NOTIFIER, m);
        Set<EventType> events = readEvents(m);
        int queueSize = integer(m, "queue-size", DEFAULT_QUEUE_SIZE, 1, 1_000_000);
        int attempts = integer(m, "attempts", DEFAULT_ATTEMPTS, 1, 100);
        Duration backoff = m.peek("backoff").isPresent() ? positiveDuration(m, "backoff", DEFAULT_BACKOFF) : null;
        return new NotifierConfig(spec, events, queueSize, attempts, backoff);
    }

    Set<EventType> readEvents(ConfigMap m) {
        Optional<ConfigNode> node = m.node("events");
        if (node.isEmpty() || isNull(node.get())) {
            return EnumSet.allOf(EventType.class);
        }
        List<ConfigNode> items = node.get() instanceof ConfigList list ? list.items() : List.of(node.get());
        List<String> known = Arrays.stream(EventType.values()).map(EventType::configName).toList();
        if (items.isEmpty()) {
            problem(node.get(), "no events listed: list at least one (known: " + String.join(", ", known)
                    + "), or leave events out for all of them");
        }
        Set<EventType> events = EnumSet.noneOf(EventType.class);
        for (ConfigNode item : items) {
            if (!(item instanceof ConfigScalar s) || s.isNull()) {
                problem(item, "expected an event name (known: " + String.join(", ", known) + "), got "
                        + item.describe());
            } else if (!known.contains(s.text())) {
                problem(item, Suggestions.unknown("event", s.text(), known));
            } else {
                events.add(EventType.fromConfigName(s.text()));
            }
        }
        return events;
    }
}
