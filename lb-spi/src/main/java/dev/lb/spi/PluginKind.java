package dev.lb.spi;

/** The kinds of plugin the runtime loads, each with the provider interface that implements it. */
public enum PluginKind {
    /** A balancing algorithm, see {@link AlgorithmProvider}. */
    ALGORITHM("algorithm", AlgorithmProvider.class),
    /** An active health probe, see {@link HealthProbeProvider}. */
    HEALTH_PROBE("health probe", HealthProbeProvider.class),
    /** A notifier of health events, see {@link NotifierProvider}. */
    NOTIFIER("notifier", NotifierProvider.class);

    private final String displayName;
    private final Class<? extends PluginProvider> providerType;

    PluginKind(String displayName, Class<? extends PluginProvider> providerType) {
        this.displayName = displayName;
        this.providerType = providerType;
    }

    /** The name used in messages, e.g. {@code health probe}. */
    public String displayName() {
        return displayName;
    }

    /** The service interface registered in {@code META-INF/services} for this kind. */
    public Class<? extends PluginProvider> providerType() {
        return providerType;
    }
}
