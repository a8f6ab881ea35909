/** The layer-4 (TCP) data plane: accept, pick, connect with retries, relay with backpressure and half-close. */
package dev.lb.runtime.tcp;
