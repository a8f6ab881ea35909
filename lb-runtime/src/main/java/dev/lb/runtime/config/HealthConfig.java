package dev.lb.runtime.config;

import java.time.Duration;

/**
 * Active health checking of a pool's backends.
 *
 * @param probe the probe plugin
 * @param interval time between two checks of one backend (default 2s)
 * @param timeout how long one check may take (default 1s, at most the interval)
 * @param rise consecutive passes that bring a down backend up (default 2)
 * @param fall consecutive failures that take an up backend down (default 3)
 */
public record HealthConfig(PluginSpec probe, Duration interval, Duration timeout, int rise, int fall) {
}
