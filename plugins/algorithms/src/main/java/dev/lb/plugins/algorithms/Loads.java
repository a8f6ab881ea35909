package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.Protocol;

/**
 * The load figure the least-* algorithms compare.
 *
 * <p>For HTTP the runtime keeps idle keep-alive connections to backends, so open connections overstate the load of a
 * backend that merely has a warm pool; requests in flight are the real work, and are used alone (mixing the two
 * figures across backends would compare unlike things). For TCP each client connection is one backend connection and
 * the two figures are the same; open connections are used.
 */
final class Loads {

    private Loads() {
    }

    static int of(Backend backend, Protocol protocol) {
        return protocol == Protocol.HTTP ? backend.inFlightRequests() : backend.activeConnections();
    }
}
