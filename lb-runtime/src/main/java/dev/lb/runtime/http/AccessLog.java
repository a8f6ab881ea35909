package dev.lb.runtime.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the logger {@code dev.lb.access} at INFO, so it can be routed to its own file:
 * {@code listener client "METHOD path" status backend=NAME in=BYTES out=BYTES time=MSms}. A status of 0 means the
 * client went away before an answer.
 */
final class AccessLog {

    /** The logger's name. */
    static final String LOGGER = "dev.lb.access";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private AccessLog() {
    }

    static void request(String listener, String client, String method, String path, int status, String backend,
                        long bytesIn, long bytesOut, long nanos) {
        if (log.isInfoEnabled()) {
            log.info("{} {} \"{} {}\" {} backend={} in={} out={} time={}ms", listener, client, method, path, status,
                    backend, bytesIn, bytesOut, String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6));
        }
    }
}
