package dev.lb.runtime.plugin;

import dev.lb.spi.PluginKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Writes small jars for discovery tests from class files already compiled into the test class path. */
final class TestJars {

    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    static TestJars jar() {
        return new TestJars();
    }

    /** Adds the class file of {@code type} (compiled with the tests or the built-in plugins). */
    TestJars withClass(Class<?> type) {
        String name = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no class file for " + type);
            }
            entries.put(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Registers {@code classNames} as providers of {@code kind}. */
    TestJars withService(PluginKind kind, String... classNames) {
        entries.put("META-INF/services/" + kind.providerType().getName(),
                (String.join("\n", classNames) + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TestJars withEntry(String name, String content) {
        entries.put(name, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Path writeTo(Path jar) {
        try {
            Files.createDirectories(jar.getParent());
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    out.putNextEntry(new JarEntry(entry.getKey()));
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
