package dev.lb.plugins.script;

import dev.lb.spi.Backend;
import dev.lb.spi.Picker;
import dev.lb.spi.PoolSnapshot;
import dev.lb.spi.testkit.MapPluginConfig;
import dev.lb.spi.testkit.TestBackend;
import dev.lb.spi.testkit.TestPickContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers shared by the script tests. */
final class Scripts {

    /** The shipped example policies, seen from this module's directory (where surefire runs). */
    static final Path EXAMPLES = Path.of("../../scripts");

    private Scripts() {
    }

    static List<Backend> backends(String... names) {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            int port = 9001 + i;
            list.add(new TestBackend(names[i], 1, new InetSocketAddress("127.0.0.1", port),
                    Map.of("port", String.valueOf(port))));
        }
        return list;
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        // Write beside and move, as an editor would, so the watcher never reads half a file.
        Path temp = dir.resolve("." + name + ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    static ScriptAlgorithm algorithm(Path file, Object... moreSettings) {
        Object[] settings = new Object[moreSettings.length + 2];
        settings[0] = "file";
        settings[1] = file.toString();
        System.arraycopy(moreSettings, 0, settings, 2, moreSettings.length);
        return (ScriptAlgorithm) new ScriptProvider().create(MapPluginConfig.of(settings));
    }

    static Picker picker(ScriptAlgorithm algorithm, List<Backend> backends) {
        return algorithm.newPicker(PoolSnapshot.of("test", backends, backends));
    }

    static TestPickContext get(String path) {
        return http(path, Map.of(), Map.of());
    }

    /** A GET of {@code path} from 127.0.0.1 with {@code headers} and {@code cookies}. */
    static TestPickContext http(String path, Map<String, String> headers, Map<String, String> cookies) {
        return TestPickContext.builder().clientAddress("127.0.0.1").path(path).headers(headers).cookies(cookies)
                .build();
    }

    /** A TCP connection from {@code clientIp}. */
    static TestPickContext tcp(String clientIp) {
        return TestPickContext.builder().clientAddress(clientIp).build();
    }

    /** Returns once {@code condition} holds; fails the test naming {@code what} after 30 s. */
    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
