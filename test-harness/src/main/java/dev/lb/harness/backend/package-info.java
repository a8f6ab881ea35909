/**
 * Dummy backends for testing the load balancer, configurations and plugins: {@link
 * dev.lb.harness.backend.DummyTcpBackend} (identity line, then echo) behind the common {@link
 * dev.lb.harness.backend.DummyBackend} interface.
 */
package dev.lb.harness.backend;
