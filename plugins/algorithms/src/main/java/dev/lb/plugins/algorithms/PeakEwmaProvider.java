package dev.lb.plugins.algorithms;

/**
 * {@code peak-ewma}: Finagle's peak EWMA balancer: the better of two eligible backends drawn at random, rated by the
 * peak-sensitive latency EWMA × (load + 1) / weight. Setting: {@code slow-start}.
 */
public final class PeakEwmaProvider extends LoadAwareProvider {

    /** Creates the provider (ServiceLoader). */
    public PeakEwmaProvider() {
        super("peak-ewma",
                "the better of two random eligible backends by peak latency EWMA x (load + 1) / weight (Finagle)",
                Cost.PEAK_LATENCY, Strategy.TWO_CHOICES, true);
    }
}
