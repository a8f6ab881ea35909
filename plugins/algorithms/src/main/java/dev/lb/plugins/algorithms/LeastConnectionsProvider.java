package dev.lb.plugins.algorithms;

/**
 * {@code least-connections}: the eligible backend with the fewest open connections (for HTTP, requests in flight),
 * ignoring weights; ties are broken round robin. Settings: {@code slow-start}, {@code choices} (as in
 * {@link LoadAwareProvider}: exact up to 16 backends by default).
 */
public final class LeastConnectionsProvider extends LoadAwareProvider {

    /** Creates the provider (ServiceLoader). */
    public LeastConnectionsProvider() {
        super("least-connections",
                "the eligible backend with the fewest connections (HTTP: requests in flight); ties round robin",
                Cost.LOAD, Strategy.SCAN, false);
    }
}
