package dev.lb.harness.bed;

import dev.lb.harness.backend.DummyBackend;
import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.harness.toxiproxy.FaultProxy;
import dev.lb.runtime.pool.BackendState;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One backend of a {@link TestBed}: the dummy server standing in for it and, unless the bed was made without them,
 * the {@link FaultProxy} the load balancer reaches it through.
 */
public final class TestBackend {

    private final TestBed bed;
    private final String pool;
    private final String name;
    private final DummyBackend server;
    private final FaultProxy link;

    TestBackend(TestBed bed, String pool, String name, DummyBackend server, FaultProxy link) {
        this.bed = bed;
        this.pool = Objects.requireNonNull(pool, "pool");
        this.name = Objects.requireNonNull(name, "name");
        this.server = server;
        this.link = link;
    }

    /** The pool it belongs to. */
    public String pool() {
        return pool;
    }

    /** Its name in the pool (the configuration's). */
    public String name() {
        return name;
    }

    /** The dummy server. */
    public DummyBackend server() {
        return server;
    }

    /** The dummy server as a TCP backend. */
    public DummyTcpBackend tcp() {
        return (DummyTcpBackend) server;
    }

    /** The dummy server as an HTTP backend. */
    public DummyHttpBackend http() {
        return (DummyHttpBackend) server;
    }

    /**
     * The fault proxy between the load balancer and the server.
     *
     * @throws IllegalStateException when the bed was made without fault proxies
     */
    public FaultProxy link() {
        if (link == null) {
            throw new IllegalStateException("backend " + name + " is not behind a fault proxy: the test bed was made"
                    + " with faultProxies(false)");
        }
        return link;
    }

    /** The fault proxy, if there is one. */
    public Optional<FaultProxy> linkIfAny() {
        return Optional.ofNullable(link);
    }

    /** Where the load balancer connects to reach it: the fault proxy, or the server when there is none. */
    public InetSocketAddress address() {
        return link != null ? link.address() : server.address();
    }

    /** The load balancer's live state of it. */
    public BackendState state() {
        return bed.lb().pool(pool).backend(name).orElseThrow();
    }

    /** Whether the load balancer sends it new traffic now: healthy, not ejected by outlier detection, not draining. */
    public boolean inRotation() {
        return state().isEligible();
    }

    @Override
    public String toString() {
        return pool + "/" + name + " (" + server + (link != null ? " behind " + link : "") + ")";
    }
}
