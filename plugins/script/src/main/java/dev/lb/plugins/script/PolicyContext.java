package dev.lb.plugins.script;

import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * One sandboxed JavaScript context with one version of a policy evaluated in it. A context is single-threaded, so
 * each event-loop thread has its own (see {@link ScriptAlgorithm}); all share the process's {@link Engines engine}.
 *
 * <p>The sandbox: each restriction of GraalVM's {@link SandboxPolicy#CONSTRAINED constrained} policy set explicitly
 * (the policy itself refuses the engine's memory options, see {@link Engines}): no host access (no Java objects or
 * classes), no file, network or process I/O, no threads, no native access, no environment, no other languages, no
 * exit, input empty and output discarded; and a statement limit per call. The time budget and the allocation limit
 * are the {@link Watchdog}'s.
 */
final class PolicyContext implements AutoCloseable {

    /** The name of our glue script in stack traces, which locations skip. */
    static final String PRELUDE_NAME = "lb-prelude.js";
    private static final Source PRELUDE = prelude();
    /** No Java object, method, field or class reachable from a script; the proxies we pass are all it sees. */
    private static final HostAccess NO_HOST_ACCESS = HostAccess.newBuilder().allowMutableTargetMappings().build();

    private final Context context;
    private final Policy policy;
    private final Value call;
    private final Value pick;
    private final Value makeBackends;
    private final Value lastBad;
    private final RequestView request = new RequestView();
    private final Value requestObject;
    private final String pickLocation;

    /** The snapshot whose backends {@link #backends} and {@link #byName} hold, compared by identity. */
    private Backend[] backendsOf;
    private Value backends;
    private Value byName;

    private PolicyContext(Context context, Policy policy, Value glue, Value pick) {
        this.context = context;
        this.policy = policy;
        this.call = glue.getMember("call");
        this.makeBackends = glue.getMember("makeBackends");
        this.lastBad = glue.getMember("lastBad");
        this.requestObject = glue.getMember("makeRequest").execute(request.field, request.header, request.cookie);
        this.pick = pick;
        // Taken now: once a limit cancels the context, it can no longer be asked.
        this.pickLocation = PolicyError.location(pick.getSourceLocation());
    }

    /**
     * Creates a context, evaluates {@code policy} in it and calls its {@code init} with {@code configJson}.
     *
     * @throws PolicyLoadException when the script does not compile, has no {@code pick} function, or init fails
     */
    static PolicyContext open(Policy policy, ScriptSettings settings) throws PolicyLoadException {
        Context context = Context.newBuilder("js")
                .engine(Engines.shared())
                .sandbox(SandboxPolicy.TRUSTED)
                .allowAllAccess(false)
                .allowHostAccess(NO_HOST_ACCESS)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowInnerContextOptions(false)
                .useSystemExit(false)
                .in(InputStream.nullInputStream())
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("js.esm-eval-returns-exports", "true")
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(settings.statementLimit(), null).build())
                .build();
        String name = policy.source().getName();
        Value glue;
        try {
            // Our glue first, outside the guard: the first context of the engine also sets up the language, which
            // allocates tens of MiB that are not the policy's.
            glue = context.eval(PRELUDE);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
        try (LoadGuard guard = LoadGuard.watch(context, settings.recycleAfter())) {
            PolicyContext loaded;
            try {
                loaded = load(context, glue, policy, settings);
            } catch (PolicyLoadException | RuntimeException e) {
                tooBig(guard, name, settings, e);
                throw e;
            }
            tooBig(guard, name, settings, null);
            return loaded;
        } catch (PolicyLoadException | RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /**
     * Fails loading that the {@link LoadGuard} stopped (or would have, had it not ended first): what the module's
     * top-level code and init allocate is state the context keeps, bounded like the rest by recycle-after.
     */
    private static void tooBig(LoadGuard guard, String name, ScriptSettings settings, Exception failure)
            throws PolicyLoadException {
        long allocated = guard.allocatedWhenStopped();
        if (allocated < 0) {
            return;
        }
        String where = failure instanceof PolicyLoadException located && located.where() != null
                ? located.where() : name + ":1:1";
        throw new PolicyLoadException(where + ": loading the policy (its top-level code and init) allocated more "
                + "than recycle-after " + ByteSize.format(settings.recycleAfter()) + " (" + ByteSize.format(allocated)
                + " when stopped): keep module state smaller, or raise recycle-after");
    }

    private static PolicyContext load(Context context, Value glue, Policy policy, ScriptSettings settings)
            throws PolicyLoadException {
        String name = policy.source().getName();
        Value exports;
        try {
            exports = context.eval(policy.source());
        } catch (PolyglotException e) {
            throw new PolicyLoadException(PolicyError.location(e, name + ":1:1"),
                    (e.isSyntaxError() ? "syntax error: " + PolicyError.syntaxMessage(e, name)
                                : "error while loading: " + e.getMessage()));
        }
        Value pick = exports == null || !exports.hasMembers() ? null : exports.getMember("pick");
        if (pick == null || !pick.canExecute()) {
            throw new PolicyLoadException(name + ":1:1: the policy must export a function pick(request, backends), "
                    + "e.g. `export function pick(request, backends) { return backends[0]; }`");
        }
        Value init = exports.getMember("init");
        if (init != null && !init.isNull()) {
            if (!init.canExecute()) {
                throw new PolicyLoadException(name + ":1:1: the export init must be a function init(config)");
            }
            try {
                glue.getMember("init").execute(init, settings.configJson());
            } catch (PolyglotException e) {
                // Stopped inside a built-in, an exception may have no frame of the script: name init itself.
                throw new PolicyLoadException(PolicyError.location(e, PolicyError.location(init.getSourceLocation())),
                        "init(config) failed: " + e.getMessage());
            }
        }
        context.resetLimits();
        return new PolicyContext(context, policy, glue, pick);
    }

    /** The version of the policy evaluated here. */
    int version() {
        return policy.version();
    }

    /** The underlying context, for the watchdog to interrupt. */
    Context context() {
        return context;
    }

    /**
     * Calls the policy's pick and returns the index of the chosen backend in {@code eligible}, or -1 when it returned
     * something that names none (see {@link #lastBadValue()}).
     *
     * @throws PolyglotException when the script throws, overruns its limit or is interrupted
     */
    int pick(PickContext pickContext, Backend[] eligible) {
        request.bind(pickContext);
        int index;
        try {
            index = call.execute(pick, requestObject, backends, byName).asInt();
        } finally {
            request.unbind();
        }
        context.resetLimits();
        return index;
    }

    /** Starts the statement count afresh after a call that threw; a no-op on a cancelled context. */
    void resetAfterFailure() {
        try {
            context.resetLimits();
        } catch (PolyglotException | IllegalStateException cancelled) {
            // The context is gone; its thread builds a new one.
        }
    }

    /** What the last call that returned -1 got from the script, described in a few words. */
    String lastBadValue() {
        return lastBad.execute().asString();
    }

    /** {@code file:line:column} of the policy's pick function, for values that are wrong without an exception. */
    String pickLocation() {
        return pickLocation;
    }

    /** Makes the JavaScript view of {@code eligible} unless it is the one made last; outside the time budget. */
    void prepare(Backend[] eligible) {
        if (eligible != backendsOf) {
            bindBackends(eligible);
        }
    }

    private void bindBackends(Backend[] eligible) {
        int count = eligible.length;
        Object[] names = new Object[count];
        Object[] hosts = new Object[count];
        Object[] ports = new Object[count];
        Object[] weights = new Object[count];
        Object[] labels = new Object[count];
        for (int i = 0; i < count; i++) {
            Backend backend = eligible[i];
            names[i] = backend.name();
            hosts[i] = backend.address().getHostString();
            ports[i] = backend.address().getPort();
            weights[i] = backend.weight();
            Object[] pairs = new Object[backend.labels().size() * 2];
            int j = 0;
            for (Map.Entry<String, String> label : backend.labels().entrySet()) {
                pairs[j++] = label.getKey();
                pairs[j++] = label.getValue();
            }
            labels[i] = ProxyArray.fromArray(pairs);
        }
        ProxyExecutable live = arguments -> {
            Backend backend = eligible[arguments[0].asInt()];
            return switch (arguments[1].asInt()) {
                case 0 -> backend.activeConnections();
                case 1 -> backend.inFlightRequests();
                case 2 -> (double) backend.latencyEwmaNanos();
                default -> (double) backend.peakLatencyEwmaNanos();
            };
        };
        Value made = makeBackends.execute(count, ProxyArray.fromArray(names), ProxyArray.fromArray(hosts),
                ProxyArray.fromArray(ports), ProxyArray.fromArray(weights), ProxyArray.fromArray(labels), live);
        context.resetLimits();
        backends = made.getMember("list");
        byName = made.getMember("byName");
        backendsOf = eligible;
    }

    @Override
    public void close() {
        try {
            context.close(true);
        } catch (PolyglotException | IllegalStateException ignored) {
            // Already cancelled by a limit or the watchdog: nothing left to release.
        }
    }

    private static Source prelude() {
        try (InputStream in = PolicyContext.class.getResourceAsStream("prelude.js")) {
            if (in == null) {
                throw new IllegalStateException("prelude.js is missing from the plugin jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Source.newBuilder("js", text, PRELUDE_NAME).cached(true).buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
