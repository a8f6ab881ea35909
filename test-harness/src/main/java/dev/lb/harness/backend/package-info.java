/**
 * Dummy backends for testing the load balancer, configurations and plugins: {@link
 * dev.lb.harness.backend.DummyTcpBackend} (identity line, then echo) and {@link
 * dev.lb.harness.backend.DummyHttpBackend} (answers with its identity), behind the common {@link
 * dev.lb.harness.backend.DummyBackend} interface: each counts what it serves and can be told to be slow, to fail, to
 * close connections, or to stop and restart on the same port.
 */
package dev.lb.harness.backend;
