package dev.lb.plugins.algorithms;

/**
 * {@code weighted-least-connections}: the eligible backend with the least (load + 1) / weight, where load is open
 * connections (for HTTP, requests in flight); ties are broken round robin. Settings: {@code slow-start},
 * {@code choices} (as in {@link LoadAwareProvider}:
 * exact up to 16 backends by default).
 */
public final class WeightedLeastConnectionsProvider extends LoadAwareProvider {

    /** Creates the provider (ServiceLoader). */
    public WeightedLeastConnectionsProvider() {
        super("weighted-least-connections",
                "the eligible backend with the least (connections + 1) / weight (HTTP: requests in flight); "
                        + "ties round robin",
                Cost.LOAD, Strategy.SCAN, true);
    }
}
