package dev.lb.plugins.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.Backend;
import dev.lb.spi.Picker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each way a script can fail at pick time, and each sandbox rule: the request is placed by the fallback, the failure
 * is counted and logged with the script's line and column, and the next pick works again.
 */
class FailureModesTest extends AlgorithmFixture {

    private final List<Backend> backends = Scripts.backends("a", "b", "c");

    /**
     * Loads a policy whose pick fails when the request's path is {@code /fail} and picks {@code c} otherwise, and
     * checks one failing pick: placed by round-robin, counted as {@code failure}, logged with {@code where}.
     */
    private void failsAndRecovers(String failingStatement, ScriptStats.Failure failure, String where,
            Object... settings) throws Exception {
        Path file = Scripts.write(dir, "policy.js", "export function pick(request, backends) {\n"
                + "  if (request.path === '/fail') {\n"
                + "    " + failingStatement + "\n"
                + "  }\n"
                + "  return 'c';\n"
                + "}\n");
        algorithm = Scripts.algorithm(file, withGenerousBudget(settings));
        Picker picker = Scripts.picker(algorithm, backends);
        assertSame(backends.get(2), picker.pick(Scripts.get("/")));

        Backend placed = picker.pick(Scripts.get("/fail"));
        assertNotNull(placed, "the fallback places the request");
        assertEquals(1, algorithm.stats().failures(failure), failure + " counted");
        assertEquals(1, algorithm.stats().totalFailures());
        String expected = "policy.js:" + where;
        assertTrue(log.messages().stream().anyMatch(m -> m.contains(expected) && m.contains("fallback round-robin")),
                "logged with " + expected + ": " + log.messages());

        // The policy serves again at once, in a rebuilt context if the failure broke it.
        assertSame(backends.get(2), picker.pick(Scripts.get("/")));
        assertEquals(2, algorithm.stats().scriptedPicks());
    }

    /** Interpreted (as under surefire) a first call takes milliseconds: only the budget test keeps a tight one. */
    private static Object[] withGenerousBudget(Object[] settings) {
        if (java.util.Arrays.asList(settings).contains("time-budget")) {
            return settings;
        }
        Object[] more = java.util.Arrays.copyOf(settings, settings.length + 2);
        more[settings.length] = "time-budget";
        more[settings.length + 1] = "1s";
        return more;
    }

    @Test
    void scriptThatThrows() throws Exception {
        failsAndRecovers("throw new Error('boom');", ScriptStats.Failure.THREW, "3:11");
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("Error: boom")), log.messages().toString());
    }

    @Test
    void scriptWithATypeError() throws Exception {
        failsAndRecovers("return request.nothing.deeper;", ScriptStats.Failure.THREW, "3:");
    }

    @Test
    void returnsUndefined() throws Exception {
        failsAndRecovers("return undefined;", ScriptStats.Failure.BAD_RESULT, "1:8");
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("pick returned undefined")), log.messages().toString());
    }

    @Test
    void returnsAnIndexOutOfRange() throws Exception {
        failsAndRecovers("return 7;", ScriptStats.Failure.BAD_RESULT, "1:8");
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("pick returned number 7")), log.messages().toString());
    }

    @Test
    void returnsAnUnknownName() throws Exception {
        failsAndRecovers("return 'zz';", ScriptStats.Failure.BAD_RESULT, "1:8");
    }

    @Test
    void returnsAForgedBackend() throws Exception {
        failsAndRecovers("return { name: 'a', index: 0 };", ScriptStats.Failure.BAD_RESULT, "1:8");
    }

    @Test
    void overrunsTheStatementLimit() throws Exception {
        failsAndRecovers("while (true) {}", ScriptStats.Failure.OVER_STATEMENTS, "3:", "statement-limit", "10000");
    }

    @Test
    void overrunsTheTimeBudgetOnAFreshContext() throws Exception {
        // A statement limit too high to matter: only the watchdog can stop this one. On the second call of a context
        // it is held to the hard limit of 20 budgets.
        failsAndRecovers("while (true) {}", ScriptStats.Failure.OVER_TIME, "3:", "statement-limit", "100000000",
                "time-budget", "50ms");
    }

    @Test
    void aHugeStringIsRefusedBeforeItIsMade() throws Exception {
        // One allocation no watchdog could stop half way: the engine's string length cap refuses it at once.
        failsAndRecovers("return 'x'.repeat(1e9);", ScriptStats.Failure.THREW, "3:");
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("RangeError: Invalid string length")),
                log.messages().toString());
    }

    @Test
    void aHugeTypedArrayIsRefusedBeforeItIsMade() throws Exception {
        failsAndRecovers("const a = new Float64Array(1e9); return a.length > 0 ? 'c' : 'a';",
                ScriptStats.Failure.THREW, "3:");
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("RangeError: Invalid typed array length")),
                log.messages().toString());
    }

    @Test
    void aLoopThatGrowsAnArrayForeverIsStoppedByTheAllocationLimit() throws Exception {
        // Statement limit and time budget at their maximum (and a fresh context's calls are held to 20 budgets, 20s):
        // only the allocation limit can stop this one within the test's time.
        failsAndRecovers("const a = []; let i = 0; while (true) { a.push(i++, i, i, i); }",
                ScriptStats.Failure.OVER_ALLOCATION, "3:", "statement-limit", "100000000", "time-budget", "1s");
        assertEquals(0, algorithm.stats().failures(ScriptStats.Failure.OVER_TIME));
        assertEquals(0, algorithm.stats().failures(ScriptStats.Failure.OVER_STATEMENTS));
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("pick allocated more than allocation-limit 8MiB")),
                log.messages().toString());
    }

    @Test
    void aLoopThatAllocatesLittleIsStoppedByTheStatementLimit() throws Exception {
        // Interpreted (as under surefire), 5000 pushes allocate about 1.3MiB: under the default allocation limit.
        failsAndRecovers("const a = []; let i = 0; while (true) { a.push(i++); }",
                ScriptStats.Failure.OVER_STATEMENTS, "3:", "statement-limit", "10000");
    }

    @Test
    void noBlocking() throws Exception {
        // The one way JavaScript could wait is refused on the thread that picks.
        failsAndRecovers("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); return 'c';",
                ScriptStats.Failure.THREW, "3:5");
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("Unsupported operation")), log.messages().toString());
    }

    @Test
    void overrunsTheTimeBudgetOnceWarm() throws Exception {
        Path file = Scripts.write(dir, "policy.js", "export function pick(request, backends) {\n"
                + "  if (request.path === '/fail') { while (true) {} }\n"
                + "  return 'c';\n"
                + "}\n");
        algorithm = Scripts.algorithm(file, "statement-limit", "100000000", "time-budget", "50ms");
        Picker picker = Scripts.picker(algorithm, backends);
        for (int i = 0; i < Watchdog.GRACE_CALLS + 10; i++) {
            assertSame(backends.get(2), picker.pick(Scripts.get("/")));
        }
        assertNotNull(picker.pick(Scripts.get("/fail")));
        assertEquals(1, algorithm.stats().failures(ScriptStats.Failure.OVER_TIME));
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("policy.js:2:")
                && m.contains("time-budget of 50ms")), log.messages().toString());
        assertSame(backends.get(2), picker.pick(Scripts.get("/")));
    }

    @Test
    void noJavaClasses() throws Exception {
        failsAndRecovers("return Java.type('java.lang.System').exit(1);", ScriptStats.Failure.THREW, "3:");
    }

    @Test
    void noFileAccess() throws Exception {
        failsAndRecovers("return load('/etc/hostname');", ScriptStats.Failure.THREW, "3:");
    }

    @Test
    void noNodeModules() throws Exception {
        failsAndRecovers("return require('fs').readFileSync('/etc/hostname');", ScriptStats.Failure.THREW, "3:");
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("require is not defined")), log.messages().toString());
    }

    @Test
    void noOtherLanguages() throws Exception {
        failsAndRecovers("return Polyglot.eval('python', '1');", ScriptStats.Failure.THREW, "3:");
    }

    @Test
    void noThreads() throws Exception {
        failsAndRecovers("return new (Java.type('java.lang.Thread'))(() => 0).start();", ScriptStats.Failure.THREW,
                "3:");
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("java.lang.Thread is not allowed")),
                log.messages().toString());
    }

    @Test
    void noNetwork() throws Exception {
        failsAndRecovers("return fetch('http://127.0.0.1:1/');", ScriptStats.Failure.THREW, "3:");
    }

    @Test
    void requestObjectIsReadOnly() throws Exception {
        failsAndRecovers("request.path = '/elsewhere'; return 0;", ScriptStats.Failure.THREW, "3:");
    }

    @Test
    void noBackendsMeansNoCallAndNull() throws Exception {
        Path file = Scripts.write(dir, "policy.js", "export function pick() { throw new Error('never called'); }\n");
        algorithm = Scripts.algorithm(file);
        assertEquals(null, Scripts.picker(algorithm, List.of()).pick(Scripts.get("/")));
        assertEquals(0, algorithm.stats().totalFailures());
    }
}
