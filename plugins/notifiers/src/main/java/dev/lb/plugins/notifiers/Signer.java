package dev.lb.plugins.notifiers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook body with HMAC-SHA256 under a shared secret: {@code sha256=<lowercase hex>} of the exact bytes
 * sent, as GitHub signs its webhooks, so a receiver can check the body came from this load balancer unaltered.
 */
final class Signer {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    Signer(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header value for {@code body}: {@code sha256=} and 64 hex digits. */
    String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is required of every Java platform; failing here means a broken JDK.
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Signer[HmacSHA256, secret hidden]";
    }
}
