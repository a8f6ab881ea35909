package dev.lb.plugins.script;

import java.io.OutputStream;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one GraalVM {@link Engine} of the process, shared by every policy and every context so that code parsed and
 * compiled for one event-loop thread serves the others.
 */
final class Engines {

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
                    .sandbox(SandboxPolicy.CONSTRAINED)
                    .out(OutputStream.nullOutputStream())
                    .err(OutputStream.nullOutputStream())
                    // We say it once ourselves, in our words, rather than GraalVM's multi-line warning on stderr.
                    .option("engine.WarnInterpreterOnly", "false")
                    .build();
            if (engine.getImplementationName().toLowerCase(java.util.Locale.ROOT).contains("interpreted")) {
                LOG.warn("script policies run interpreted (about ten times slower): this JVM has no GraalVM compiler "
                        + "on its module path. Start through ./lb, which sets it up, or see plugins/script/README.md");
            } else {
                LOG.info("script policies are compiled at run time by {}", engine.getImplementationName());
            }
            return engine;
        }
    }
}
