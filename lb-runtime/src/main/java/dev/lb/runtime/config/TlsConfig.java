package dev.lb.runtime.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS terminated on a listener, from PEM files.
 *
 * @param cert the certificate chain, PEM, the server's certificate first
 * @param key the private key, PEM (PKCS#8, unencrypted)
 */
public record TlsConfig(Path cert, Path key) {

    public TlsConfig {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }
}
