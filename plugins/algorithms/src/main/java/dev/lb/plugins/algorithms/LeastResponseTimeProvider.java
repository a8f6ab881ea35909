package dev.lb.plugins.algorithms;

/**
 * {@code least-response-time}: the eligible backend with the least latency EWMA × (load + 1) / weight: the shortest
 * expected wait. An unmeasured backend costs nothing while idle and more than any measured one once busy. Ties are
 * broken round robin. Settings: {@code slow-start}, {@code choices} (as in {@link LoadAwareProvider}:
 * exact up to 16 backends by default).
 */
public final class LeastResponseTimeProvider extends LoadAwareProvider {

    /** Creates the provider (ServiceLoader). */
    public LeastResponseTimeProvider() {
        super("least-response-time",
                "the eligible backend with the least latency EWMA x (load + 1) / weight; ties round robin",
                Cost.LATENCY, Strategy.SCAN, true);
    }
}
