package dev.lb.spi;

/** The protocol a listener speaks to its clients. */
public enum Protocol {
    /** Layer 4: bytes are relayed as they come; a pick is made per client connection. */
    TCP,
    /** Layer 7: HTTP/1.1; a pick is made per request, and the request is visible to the algorithm. */
    HTTP
}
