/**
 * Network faults between the load balancer and its backends, injected by a real
 * <a href="https://github.com/Shopify/toxiproxy">Toxiproxy</a> server.
 *
 * <p>{@link dev.lb.harness.toxiproxy.ToxiproxyServer} launches (or connects to) the server;
 * {@link dev.lb.harness.toxiproxy.ToxiproxyServer#proxy} puts a {@link dev.lb.harness.toxiproxy.FaultProxy} in front
 * of a backend; its methods add a {@link dev.lb.harness.toxiproxy.Fault} in a
 * {@link dev.lb.harness.toxiproxy.Direction}: the link goes down, slow, narrow, silent, reset, late to close,
 * fragmented or truncated, and {@link dev.lb.harness.toxiproxy.FaultProxy#heal()} makes it clean again. The server
 * binary comes from {@code tools/install-toxiproxy.sh}.
 */
package dev.lb.harness.toxiproxy;
