package dev.lb.runtime.http;

import dev.lb.runtime.config.HttpListenerConfig;
import dev.lb.runtime.config.TlsConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import javax.net.ssl.SSLException;

/** Builds the TLS contexts of an HTTP listener from its configuration, failing with a message that says which file. */
final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * The server context of a listener terminating TLS, offering {@code http/1.1} by ALPN, and first {@code h2} when
     * {@code http2} (with the cipher suites HTTP/2 allows).
     */
    static SslContext server(String listener, TlsConfig tls, boolean http2) {
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile());
            if (http2) {
                builder.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
            }
            String[] protocols = http2
                    ? new String[] {ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1}
                    : new String[] {ApplicationProtocolNames.HTTP_1_1};
            return builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            protocols))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("listener " + listener + ": cannot use tls.cert " + tls.cert()
                    + " with tls.key " + tls.key() + ": " + e.getMessage() + " (both must be PEM; the key PKCS#8"
                    + " and unencrypted, the certificate matching it)", e);
        }
    }

    /** The client context for backends, trusting {@code tls.ca()} or the JDK's trust store. */
    static SslContext client(String listener, HttpListenerConfig.BackendTls tls) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .endpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
            if (tls.ca() != null) {
                builder.trustManager(tls.ca().toFile());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("listener " + listener + ": cannot use http.backend-tls.ca "
                    + tls.ca() + ": " + e.getMessage() + " (it must hold PEM certificates)", e);
        }
    }
}
