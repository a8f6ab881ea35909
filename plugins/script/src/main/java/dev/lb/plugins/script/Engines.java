package dev.lb.plugins.script;

import java.io.InputStream;
import java.io.OutputStream;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one GraalVM {@link Engine} of the process, shared by every policy and every context so that code parsed and
 * compiled for one event-loop thread serves the others.
 *
 * <p>It also caps the two allocations a script can make in one step, which no watchdog can stop half way: the length
 * of a string and the size of a typed array or {@code ArrayBuffer}. Anything larger throws a {@code RangeError} in
 * the script. GraalVM's {@link SandboxPolicy#CONSTRAINED constrained} policy refuses these two options (as it refuses
 * every option not known to be sandbox-safe), so the engine and contexts run under the trusted policy and
 * {@link PolicyContext} sets each restriction the constrained policy would have required itself.
 */
final class Engines {

    /** Characters in one JavaScript string (at most 16MiB): a request head is at most 1MiB. */
    static final int MAX_STRING_LENGTH = 8 * 1024 * 1024;
    /** Bytes in one typed array or {@code ArrayBuffer}: a lookup table of two million 64-bit numbers. */
    static final int MAX_TYPED_ARRAY_BYTES = 16 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);

    private Engines() {
    }

    /** The shared engine, created on first use. */
    static Engine shared() {
        return Holder.ENGINE;
    }

    /** Whether the engine compiles scripts to machine code (false when the JVM offers it no compiler). */
    static boolean compiling() {
        return !Holder.ENGINE.getImplementationName().toLowerCase(java.util.Locale.ROOT).contains("interpreted");
    }

    private static final class Holder {
        static final Engine ENGINE = create();

        private static Engine create() {
            Engine engine = Engine.newBuilder("js")
                    .sandbox(SandboxPolicy.TRUSTED)
                    .out(OutputStream.nullOutputStream())
                    .err(OutputStream.nullOutputStream())
                    .in(InputStream.nullInputStream())
                    // Both are marked experimental, whence the permission; nothing else experimental is set.
                    .allowExperimentalOptions(true)
                    .option("js.string-length-limit", Integer.toString(MAX_STRING_LENGTH))
                    .option("js.max-typed-array-length", Integer.toString(MAX_TYPED_ARRAY_BYTES))
                    // We say it once ourselves, in our words, rather than GraalVM's multi-line warning on stderr.
                    .option("engine.WarnInterpreterOnly", "false")
                    .build();
            if (engine.getImplementationName().toLowerCase(java.util.Locale.ROOT).contains("interpreted")) {
                LOG.warn("script policies run interpreted (about ten times slower): this JVM has no GraalVM compiler "
                        + "on its module path. Start through ./lb, which sets it up, or see scripts/README.md (Speed)");
            } else {
                LOG.info("script policies are compiled at run time by {}", engine.getImplementationName());
            }
            return engine;
        }
    }
}
