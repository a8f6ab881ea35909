package dev.lb.harness.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the harness looks for a Toxiproxy server, in which order, and what it says when there is none. */
class ToxiproxyLocatorTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private final Properties properties = new Properties();

    @Test
    void aUrlWinsOverEveryBinary() throws IOException {
        env.put("TOXIPROXY_URL", "http://127.0.0.1:8474/");
        env.put("TOXIPROXY_SERVER", executable("toxiproxy-server").toString());

        ToxiproxyLocator.Target target = locator().locate();

        assertEquals(Optional.of(URI.create("http://127.0.0.1:8474")), target.url());
        assertEquals(Optional.empty(), target.binary());
    }

    @Test
    void aBareHostAndPortIsAUrl() {
        env.put("TOXIPROXY_URL", "127.0.0.1:9999");

        assertEquals(Optional.of(URI.create("http://127.0.0.1:9999")), locator().locate().url());
    }

    @Test
    void aUrlWithoutAPortIsRejectedClearly() {
        env.put("TOXIPROXY_URL", "http://127.0.0.1");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> locator().locate());

        assertTrue(e.getMessage().contains("TOXIPROXY_URL must be an http URL with a host and a port"), e.getMessage());
    }

    @Test
    void theSystemPropertyWinsOverTheEnvironment() throws IOException {
        Path fromProperty = executable("from-property");
        properties.setProperty("lb.toxiproxy.server", fromProperty.toString());
        env.put("TOXIPROXY_SERVER", executable("from-env").toString());

        ToxiproxyLocator.Target target = locator().locate();

        assertEquals(Optional.of(fromProperty), target.binary());
        assertEquals("-Dlb.toxiproxy.server", target.source());
    }

    @Test
    void anExplicitPathThatIsMissingIsAnErrorNotSkipped() throws IOException {
        Path missing = dir.resolve("nowhere/toxiproxy-server");
        env.put("TOXIPROXY_SERVER", missing.toString());
        env.put("PATH", executable("toxiproxy-server").getParent().toString());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> locator().locate());

        assertTrue(e.getMessage().startsWith("TOXIPROXY_SERVER names " + missing + ", which is not an existing file"),
                e.getMessage());
        assertTrue(e.getMessage().contains("tools/install-toxiproxy.sh"), e.getMessage());
    }

    @Test
    void anExplicitPathThatCannotRunIsAnError() throws IOException {
        Path notExecutable = Files.writeString(dir.resolve("toxiproxy-server"), "text");
        env.put("TOXIPROXY_SERVER", notExecutable.toString());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> locator().locate());

        assertTrue(e.getMessage().contains("which is not an executable file"), e.getMessage());
    }

    @Test
    void findsTheBinaryOnThePath() throws IOException {
        Path binary = executable("toxiproxy-server");
        env.put("PATH", dir.resolve("empty") + ":" + binary.getParent());

        ToxiproxyLocator.Target target = locator().locate();

        assertEquals(Optional.of(binary), target.binary());
        assertEquals("PATH", target.source());
    }

    @Test
    void fallsBackToTheInstallScriptsCache() throws IOException {
        env.put("XDG_CACHE_HOME", dir.toString());
        Path cached = dir.resolve("lb/toxiproxy-server");
        Files.createDirectories(cached.getParent());
        Files.writeString(cached, "#!/bin/sh\n");
        Files.setPosixFilePermissions(cached, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(Optional.of(cached), locator().locate().binary());
    }

    @Test
    void theCacheIsUnderTheHomeWithoutXdg() {
        properties.setProperty("user.home", "/home/someone");

        assertEquals(Path.of("/home/someone/.cache/lb/toxiproxy-server"), locator().cachedBinary());
    }

    @Test
    void nothingFoundSaysWhatWasLookedAtAndHowToFixIt() {
        env.put("PATH", dir.toString());
        env.put("XDG_CACHE_HOME", dir.toString());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> locator().locate());

        String message = e.getMessage();
        assertTrue(message.startsWith("No Toxiproxy server found: TOXIPROXY_SERVER is not set"), message);
        assertTrue(message.contains("no toxiproxy-server on the PATH"), message);
        assertTrue(message.contains(dir.resolve("lb/toxiproxy-server").toString()), message);
        assertTrue(message.contains("Run tools/install-toxiproxy.sh"), message);
        assertTrue(message.contains("TOXIPROXY_URL"), message);
    }

    private ToxiproxyLocator locator() {
        return new ToxiproxyLocator(env, properties);
    }

    private Path executable(String name) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin-" + name));
        Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
