package dev.lb.plugins.algorithms;

import dev.lb.spi.HttpRequestInfo;
import dev.lb.spi.PickContext;
import dev.lb.spi.PluginConfig;
import java.util.Optional;

/**
 * What a hashing algorithm hashes: {@code client-ip}, {@code path}, {@code header:<name>} or {@code cookie:<name>}.
 *
 * <p>When the chosen part is missing (no such header or cookie, or a TCP listener, which has no request), the client's
 * address is hashed instead, so such traffic is still spread and still sticky per client.
 */
final class HashKey {

    static final String KEY = "key";
    static final String CLIENT_IP = "client-ip";
    static final String PATH = "path";

    private enum Source { CLIENT_IP, PATH, HEADER, COOKIE }

    private static final String CHOICES = "must be one of client-ip, path, header:<name>, cookie:<name>";

    private final Source source;
    private final String name;

    private HashKey(Source source, String name) {
        this.source = source;
        this.name = name;
    }

    static HashKey clientIp() {
        return new HashKey(Source.CLIENT_IP, null);
    }

    /** Reads and validates {@code key} (default {@code client-ip}). */
    static HashKey read(PluginConfig config) {
        String text = config.string(KEY, CLIENT_IP).trim();
        if (text.equals(CLIENT_IP)) {
            return clientIp();
        }
        if (text.equals(PATH)) {
            return new HashKey(Source.PATH, null);
        }
        int colon = text.indexOf(':');
        if (colon > 0) {
            String prefix = text.substring(0, colon).trim();
            String name = text.substring(colon + 1).trim();
            Source source = switch (prefix) {
                case "header" -> Source.HEADER;
                case "cookie" -> Source.COOKIE;
                default -> null;
            };
            if (source != null) {
                if (name.isEmpty() || !isToken(name)) {
                    throw config.invalid(KEY, "needs a " + prefix + " name after '" + prefix
                            + ":' (letters, digits and !#$%&'*+-.^_`|~), was '" + text + "'");
                }
                return new HashKey(source, name);
            }
        }
        throw config.invalid(KEY, CHOICES + ", was '" + text + "'");
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The 64-bit hash of this key for {@code context}. */
    long hash(PickContext context) {
        if (source != Source.CLIENT_IP) {
            Optional<HttpRequestInfo> http = context.http();
            if (http.isPresent()) {
                HttpRequestInfo request = http.get();
                String value = switch (source) {
                    case PATH -> request.path();
                    case HEADER -> request.header(name).orElse(null);
                    case COOKIE -> request.cookie(name).orElse(null);
                    case CLIENT_IP -> null;
                };
                if (value != null) {
                    return Hashing.hash(value);
                }
            }
        }
        return Hashing.hash(context.clientAddress());
    }

    @Override
    public String toString() {
        return switch (source) {
            case CLIENT_IP -> CLIENT_IP;
            case PATH -> PATH;
            case HEADER -> "header:" + name;
            case COOKIE -> "cookie:" + name;
        };
    }
}
