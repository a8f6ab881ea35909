package dev.lb.harness.junit;

import dev.lb.harness.bed.LbSpec;
import dev.lb.harness.bed.TestBed;
import dev.lb.harness.toxiproxy.ToxiproxyServer;
import dev.lb.runtime.config.ConfigException;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives test methods load balancers in front of dummy backends, each behind its own
 * Toxiproxy proxy, and closes all of it after each test, passed or failed.
 *
 * <p>Parameters it resolves:
 * <ul>
 *   <li>{@link Harness}: starts balancers on demand ({@code harness.start(LbSpec.tcp().backends(3))});
 *   <li>{@link TestBed}: a balancer for the extension's default spec, started before the method runs;
 *   <li>{@link ToxiproxyServer}: the real Toxiproxy server, one for the whole test run, started on first use and
 *       stopped when the run ends.
 * </ul>
 *
 * <p>Register it with {@link LoadBalancerTest @LoadBalancerTest} (default spec: TCP, three backends, round robin), or
 * as a field for another default:
 * <pre>{@code
 * @RegisterExtension
 * final LbExtension lb = LbExtension.of(LbSpec.tcp().backends(2).health(Duration.ofMillis(100), 2, 2));
 *
 * @Test
 * void something(TestBed bed) { ... bed.backend("a").link().down(); ... }
 * }</pre>
 */
public final class LbExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LbExtension.class);

    private final LbSpec defaultSpec;
    private final UnaryOperator<TestBed.Options> options;

    /** The extension with the default spec: TCP, three backends, round robin, no health checks. */
    public LbExtension() {
        this(LbSpec.tcp().backends(3), UnaryOperator.identity());
    }

    private LbExtension(LbSpec defaultSpec, UnaryOperator<TestBed.Options> options) {
        this.defaultSpec = Objects.requireNonNull(defaultSpec, "defaultSpec");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The extension with {@code spec} as the default, for {@link TestBed} parameters. */
    public static LbExtension of(LbSpec spec) {
        return new LbExtension(spec, UnaryOperator.identity());
    }

    /** The same extension with balancer options changed for every balancer it starts. */
    public LbExtension withOptions(UnaryOperator<TestBed.Options> change) {
        return new LbExtension(defaultSpec, o -> change.apply(options.apply(o)));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Harness.class || type == TestBed.class || type == ToxiproxyServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == ToxiproxyServer.class) {
            return toxiproxy(context);
        }
        Harness harness = harness(context);
        if (type == Harness.class) {
            return harness;
        }
        try {
            return harness.start(defaultSpec);
        } catch (ConfigException e) {
            throw new ParameterResolutionException("the load balancer spec is refused:\n" + e.getMessage(), e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Harness harness = context.getStore(NAMESPACE).remove(Harness.class, Harness.class);
        if (harness != null) {
            harness.closeAll();
        }
    }

    private Harness harness(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(Harness.class,
                key -> new Harness(() -> toxiproxy(context), options), Harness.class);
    }

    /** One server for the whole run: launching one takes a moment, and proxies are per test anyway. */
    private static ToxiproxyServer toxiproxy(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedToxiproxy.class, key -> new SharedToxiproxy(ToxiproxyServer.start()),
                        SharedToxiproxy.class)
                .server();
    }

    /** Stops the shared server when the run's root context closes. */
    private record SharedToxiproxy(ToxiproxyServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
