package dev.lb.runtime.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads {@code admin}: where the admin listener binds and its bearer token, given inline ({@code token}) or read from
 * a file ({@code token-file}, relative to the configuration's folder). A token is required when the bind address is
 * not loopback. The token's value never appears in a problem.
 */
final class AdminBinder extends BinderSupport {

    AdminBinder(BinderSupport shared) {
        super(shared);
    }

    /** The admin block, or null when absent (no admin listener). */
    AdminConfig readAdmin(ConfigMap root, Path baseDir) {
        Optional<ConfigMap> block = safely(() -> root.map("admin"), Optional.<ConfigMap>empty());
        if (block.isEmpty()) {
            return null;
        }
        ConfigMap m = block.get();
        InetSocketAddress bind = m.node("bind").isPresent()
                ? address(m.node("bind").get(), 0)
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), AdminConfig.DEFAULT_PORT);
        Optional<String> inline = token(m);
        Optional<String> file = safely(() -> m.string("token-file"), Optional.<String>empty());
        String token = null;
        if (inline.isPresent() && file.isPresent()) {
            problem(m.peek("token-file").orElseThrow(), "set either token or token-file, not both");
        } else if (inline.isPresent()) {
            token = inline.get().strip();
            if (token.isEmpty()) {
                problem(m.peek("token").orElseThrow(), "must not be empty: the bearer token admin requests carry");
                token = null;
            }
        } else if (file.isPresent()) {
            token = readTokenFile(m.peek("token-file").orElseThrow(), baseDir.resolve(file.get()).normalize());
        }
        if (bind != null && token == null && !inline.isPresent() && !file.isPresent()
                && !bind.getAddress().isLoopbackAddress()) {
            ConfigNode at = m.peek("bind").orElseThrow();
            problem(at, "the admin listener binds " + bind.getAddress().getHostAddress() + ", which is not a loopback"
                    + " address: set admin.token or admin.token-file so that only holders of the token can use it,"
                    + " or bind 127.0.0.1");
        }
        if (bind == null || (token == null && !bind.getAddress().isLoopbackAddress())) {
            return null;
        }
        return new AdminConfig(bind, token);
    }

    /** The inline token; a value that is not text is refused without quoting it (it is a secret). */
    private Optional<String> token(ConfigMap m) {
        Optional<ConfigNode> node = m.node("token");
        if (node.isEmpty() || isNull(node.get())) {
            return Optional.empty();
        }
        if (node.get() instanceof ConfigScalar s && s.type() == ConfigScalar.Type.STRING) {
            return Optional.of(s.text());
        }
        if (node.get() instanceof ConfigScalar s) {
            return Optional.of(s.text()); // a number or boolean written unquoted is still the token's text
        }
        problem(node.get(), "expected the token as text, e.g. token: \"...\" (the value is not shown: it is a secret)");
        return Optional.empty();
    }

    private String readTokenFile(ConfigNode at, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            problem(at, "cannot read the admin token file " + file + ": "
                    + (Files.exists(file) ? e.getClass().getSimpleName() : "no such file")
                    + "; create it with the token on one line");
            return null;
        }
        if (text.isEmpty()) {
            problem(at, "the admin token file " + file + " is empty: write the token on one line");
            return null;
        }
        if (text.contains("\n")) {
            problem(at, "the admin token file " + file + " has more than one line: write only the token");
            return null;
        }
        return text;
    }
}
