package dev.lb.plugins.script;

import dev.lb.spi.Backend;
import dev.lb.spi.Picker;
import dev.lb.spi.PoolSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Helpers shared by the script tests. */
final class Scripts {

    /** The shipped example policies, seen from this module's directory (where surefire runs). */
    static final Path EXAMPLES = Path.of("../../scripts");

    private Scripts() {
    }

    static List<Backend> backends(String... names) {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            list.add(new TestBackend(names[i], 9001 + i));
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
        return (ScriptAlgorithm) new ScriptProvider().create(TestConfig.of(settings));
    }

    static Picker picker(ScriptAlgorithm algorithm, List<Backend> backends) {
        return algorithm.newPicker(PoolSnapshot.of("test", backends, backends));
    }

    static TestRequest get(String path) {
        return TestRequest.http(path, Map.of(), Map.of());
    }
}
