package dev.lb.runtime.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The figures of one listener or one backend: connections, requests, responses by status class, bytes, latencies and
 * retries. Every method is a few atomic operations: safe and cheap on an event loop.
 */
public final class TrafficMetrics {

    private final Meter connections;
    private final AtomicLong activeConnections = new AtomicLong();
    private final Meter requests;
    private final Meter[] responsesByClass = new Meter[5];
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Timer connectLatency;
    private final Timer firstByteLatency;
    private final Timer totalLatency;
    private final Counter retries;
    private final Counter connectFailures;

    TrafficMetrics(MetricRegistry registry, Function<String, String> name) {
        connections = registry.meter(name.apply("connections"));
        registry.gauge(name.apply("connections_active"), () -> activeConnections::get);
        requests = registry.meter(name.apply("requests"));
        for (int i = 0; i < responsesByClass.length; i++) {
            responsesByClass[i] = registry.meter(name.apply("responses." + (i + 1) + "xx"));
        }
        bytesIn = registry.counter(name.apply("bytes_in"));
        bytesOut = registry.counter(name.apply("bytes_out"));
        connectLatency = registry.timer(name.apply("latency_connect"), TrafficMetrics::latencyTimer);
        firstByteLatency = registry.timer(name.apply("latency_first_byte"), TrafficMetrics::latencyTimer);
        totalLatency = registry.timer(name.apply("latency_complete"), TrafficMetrics::latencyTimer);
        retries = registry.counter(name.apply("retries"));
        connectFailures = registry.counter(name.apply("connect_failures"));
    }

    /**
     * A timer with the same forward-decaying sample as the registry's default, but lock-free: the default takes a
     * lock and inserts into a skip list on every update, several times per proxied request from every event loop.
     */
    private static Timer latencyTimer() {
        return new Timer(LockFreeExponentiallyDecayingReservoir.builder().build());
    }

    /** A connection opened (a client's, for a listener; the balancer's, for a backend). */
    public void connectionOpened() {
        connections.mark();
        activeConnections.incrementAndGet();
    }

    /** A connection counted by {@link #connectionOpened()} closed. */
    public void connectionClosed() {
        activeConnections.decrementAndGet();
    }

    /** An HTTP request was received (listener) or sent (backend). */
    public void request() {
        requests.mark();
    }

    /** An HTTP response with {@code status} was sent (listener) or received (backend); 1xx to 5xx are counted. */
    public void response(int status) {
        int statusClass = status / 100;
        if (statusClass >= 1 && statusClass <= 5) {
            responsesByClass[statusClass - 1].mark();
        }
    }

    /** Bytes read from the client (listener) or written to the backend (backend). */
    public void bytesIn(long bytes) {
        bytesIn.inc(bytes);
    }

    /** Bytes written to the client (listener) or read from the backend (backend). */
    public void bytesOut(long bytes) {
        bytesOut.inc(bytes);
    }

    /** How long connecting to a backend took. */
    public void connectLatency(long nanos) {
        connectLatency.update(nanos, TimeUnit.NANOSECONDS);
    }

    /** From sending a request to the first byte of its response. */
    public void firstByteLatency(long nanos) {
        firstByteLatency.update(nanos, TimeUnit.NANOSECONDS);
    }

    /** The whole exchange: a request to its last response byte, or a TCP connection from open to close. */
    public void totalLatency(long nanos) {
        totalLatency.update(nanos, TimeUnit.NANOSECONDS);
    }

    /** Another backend was tried after a failure. */
    public void retry() {
        retries.inc();
    }

    /** A connection to a backend could not be made. */
    public void connectFailed() {
        connectFailures.inc();
    }

    public long connections() {
        return connections.getCount();
    }

    public long activeConnections() {
        return activeConnections.get();
    }

    public long requests() {
        return requests.getCount();
    }

    /** Responses of status class {@code statusClass} (1 to 5). */
    public long responses(int statusClass) {
        return responsesByClass[statusClass - 1].getCount();
    }

    public long bytesIn() {
        return bytesIn.getCount();
    }

    public long bytesOut() {
        return bytesOut.getCount();
    }

    public long retries() {
        return retries.getCount();
    }

    public long connectFailures() {
        return connectFailures.getCount();
    }

    /** Timer of whole exchanges (see {@link #totalLatency(long)}). */
    public Timer totalLatency() {
        return totalLatency;
    }

    /** Timer of connects to backends. */
    public Timer connectLatency() {
        return connectLatency;
    }

    /** Timer of request to first response byte. */
    public Timer firstByteLatency() {
        return firstByteLatency;
    }
}
