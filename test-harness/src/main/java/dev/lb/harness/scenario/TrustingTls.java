package dev.lb.harness.scenario;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS that accepts any certificate: scenario traffic goes to a balancer the harness itself started on loopback with
 * the user's certificate, whose name and issuer say nothing about 127.0.0.1. Never use it for anything else.
 */
final class TrustingTls {

    private TrustingTls() {
    }

    static SSLSocketFactory socketFactory() {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // Not a server: never asked.
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // Any: see the class comment.
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK offers no TLS: " + e.getMessage(), e);
        }
    }
}
