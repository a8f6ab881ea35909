package dev.lb.plugins.algorithms;

/**
 * {@code power-of-two-choices}: the less loaded of two eligible backends drawn at random, comparing (load + 1) /
 * weight, where load is open connections (for HTTP, requests in flight). Setting: {@code slow-start}.
 */
public final class PowerOfTwoChoicesProvider extends LoadAwareProvider {

    /** Creates the provider (ServiceLoader). */
    public PowerOfTwoChoicesProvider() {
        super("power-of-two-choices",
                "the less loaded of two random eligible backends, load relative to weight",
                Cost.LOAD, Strategy.TWO_CHOICES, true);
    }
}
