package dev.lb.plugins.algorithms;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Deterministic 64-bit hashing for keys and backend names.
 *
 * <p>Everything here depends only on the input's characters or address bytes, never on identity hash codes or random
 * seeds, so a key hashes the same way in every process and a backend keeps its place across restarts.
 */
final class Hashing {

    /** The 64-bit golden ratio, used to spread consecutive integers (replica numbers, retry attempts). */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;

    private Hashing() {
    }

    /** FNV-1a over the UTF-16 units of {@code text}, finished with {@link #mix(long)} for avalanche. No allocation. */
    static long hash(CharSequence text) {
        long h = FNV_OFFSET;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            h = (h ^ (c & 0xFF)) * FNV_PRIME;
            h = (h ^ (c >>> 8)) * FNV_PRIME;
        }
        return mix(h);
    }

    /** The hash of the client's IP address (not its port). */
    static long hash(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            // An unresolved address: fall back to its host name, still deterministic.
            return hash(address.getHostString());
        }
        if (ip instanceof Inet4Address) {
            // Inet4Address.hashCode() is the address itself as an int, and reading it does not allocate.
            return mix(ip.hashCode() & 0xFFFFFFFFL);
        }
        // IPv6: the bytes are a defensive copy (16 bytes); a rare path, kept simple.
        byte[] bytes = ip.getAddress();
        long h = FNV_OFFSET;
        for (byte b : bytes) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return mix(h);
    }

    /** The murmur3 64-bit finaliser: every input bit affects every output bit. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
