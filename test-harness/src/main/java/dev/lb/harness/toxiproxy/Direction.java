package dev.lb.harness.toxiproxy;

import eu.rekawek.toxiproxy.model.ToxicDirection;

/** Which way through a {@link FaultProxy} a fault acts on the bytes. */
public enum Direction {
    /** From the client toward the upstream server: requests. */
    UPSTREAM(ToxicDirection.UPSTREAM),
    /** From the upstream server back to the client: responses. */
    DOWNSTREAM(ToxicDirection.DOWNSTREAM);

    private final ToxicDirection toxiproxy;

    Direction(ToxicDirection toxiproxy) {
        this.toxiproxy = toxiproxy;
    }

    /** The toxiproxy-java equivalent. */
    public ToxicDirection toxicDirection() {
        return toxiproxy;
    }

    /** The name toxiproxy uses for it ({@code upstream}, {@code downstream}). */
    String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
