/** Active health checking: probes on their own scheduler, rise/fall thresholds, events on every transition. */
package dev.lb.runtime.health;
