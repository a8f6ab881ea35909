package dev.lb.spi;

import java.util.List;
import java.util.Optional;

/**
 * The parts of an HTTP request an algorithm may route or hash on, as the client sent them. The headers are the
 * request's end-to-end ones: the hop-by-hop headers ({@code Connection}, {@code Keep-Alive}, {@code TE} and those
 * {@code Connection} names), which were for the proxy, are not seen (but {@code Connection: upgrade} and
 * {@code Upgrade} on a request to switch protocols), nor are the forwarding headers the proxy adds after the pick.
 * Implemented by the runtime.
 */
public interface HttpRequestInfo {

    /** The method, e.g. {@code GET}. */
    String method();

    /** The path of the request target, without the query, e.g. {@code /api/users}. */
    String path();

    /** The raw query string without the {@code ?}, or an empty string. */
    String query();

    /** The {@code Host} header, or an empty string when absent. */
    String host();

    /** The first value of header {@code name} (case-insensitive), empty when absent. */
    Optional<String> header(String name);

    /** All values of header {@code name} (case-insensitive), in order; empty when absent. */
    List<String> headers(String name);

    /** The value of cookie {@code name} from the {@code Cookie} header, empty when absent. */
    Optional<String> cookie(String name);
}
