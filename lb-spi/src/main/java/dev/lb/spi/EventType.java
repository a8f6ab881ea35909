package dev.lb.spi;

/** The kinds of {@link HealthEvent}, each with the name used for it in configuration and in notifications. */
public enum EventType {
    /** A backend left the rotation because it failed its checks. */
    BACKEND_DOWN("backend-down"),
    /** A backend came back into the rotation after passing its checks. */
    BACKEND_UP("backend-up"),
    /** An operator put a backend in drain: no new traffic, open connections finish. */
    BACKEND_DRAINED("backend-drained"),
    /** A pool has no eligible backend left: its listeners refuse traffic. */
    POOL_EMPTY("pool-empty"),
    /** A pool that was empty has an eligible backend again. */
    POOL_RECOVERED("pool-recovered");

    private final String configName;

    EventType(String configName) {
        this.configName = configName;
    }

    /** The name in configuration and notifications, e.g. {@code backend-down}. */
    public String configName() {
        return configName;
    }

    /**
     * The event type named {@code name} in configuration.
     *
     * @throws IllegalArgumentException when no type has that name
     */
    public static EventType fromConfigName(String name) {
        for (EventType type : values()) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown event \"" + name + "\"");
    }
}
