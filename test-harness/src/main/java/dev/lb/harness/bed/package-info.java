/**
 * A load balancer under test: {@link dev.lb.harness.bed.TestBed} runs a configuration (a user's file, or one described
 * by {@link dev.lb.harness.bed.LbSpec}) on loopback with dummy backends standing in for its backends, each behind a
 * Toxiproxy fault proxy, and records its notifications with an {@link dev.lb.harness.bed.EventRecorder}.
 */
package dev.lb.harness.bed;
