package dev.lb.plugins.probes;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What an {@code http} probe sends and expects, as configured.
 *
 * @param method the request method, e.g. {@code GET}
 * @param path the request target, starting with {@code /}
 * @param expectStatus the statuses that pass
 * @param bodyContains a text the body must contain, or null
 * @param host the {@code Host} header (and TLS server name), or null for the backend's address
 * @param tls whether to speak HTTPS
 * @param insecure with TLS: accept any certificate, for backends with self-signed ones
 * @param port the port to probe, or {@link TcpProbe#TRAFFIC_PORT} for the backend's own
 */
record HttpProbeSettings(
        String method, String path, StatusRange expectStatus, String bodyContains, String host, boolean tls,
        boolean insecure, int port) {

    /** The TLS context: the JDK's default trust, or one that trusts anything when insecure. */
    SSLContext sslContext() {
        try {
            if (!insecure) {
                return SSLContext.getDefault();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {TrustAll.INSTANCE}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JDK: " + e.getMessage(), e);
        }
    }

    /**
     * Trusts every certificate and every host name: an extended trust manager, because the JDK checks host names
     * inside it (a plain one is wrapped with a host check that would still refuse a self-signed backend).
     */
    private enum TrustAll {
        ;

        static final X509ExtendedTrustManager INSTANCE = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
