package dev.lb.plugins.script;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.graalvm.polyglot.Source;

/**
 * One version of a policy: the source text of the file as read at one moment. Immutable; a hot reload makes a new
 * one with the next version number, and each thread's context notices the number change and rebuilds from it.
 *
 * @param version one more for each successful reload, starting at 1
 * @param source the script as a JavaScript module, named after the file as configured (for locations)
 */
record Policy(int version, Source source) {

    /** Reads {@code file} as a module. Does not evaluate it: see {@link PolicyContext#open}. */
    static Policy read(Path file, String displayName, int version) throws PolicyLoadException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyLoadException(displayName + ": cannot read the policy file: " + e
                    + " (check the path, which is relative to the folder of the configuration file)");
        }
        // A module, so that the policy says what it offers with `export function pick`.
        Source source = Source.newBuilder("js", text, displayName)
                .mimeType("application/javascript+module")
                .cached(true)
                .buildLiteral();
        return new Policy(version, source);
    }
}
