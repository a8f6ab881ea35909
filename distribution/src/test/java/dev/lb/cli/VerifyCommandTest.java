package dev.lb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lb verify} invoked through picocli as the launcher does, against the real Toxiproxy server. */
@Timeout(120)
class VerifyCommandTest {

    /** One backend, one connect attempt: nothing to fail over to. */
    private static final String CANNOT_FAIL_OVER = """
            listeners:
              - { name: single, bind: 127.0.0.1:8090, pool: only, connect-timeout: 500ms, connect-attempts: 1 }
            pools:
              only:
                backends: [ { name: lonely, address: 127.0.0.1:9090 } ]
                health: { probe: tcp, interval: 100ms, timeout: 100ms, rise: 2, fall: 2 }
            """;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new VerifyCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aConfigurationThatCannotFailOverPrintsItsTableAndExitsOne(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("single.yaml"), CANNOT_FAIL_OVER);
        Run run = run(config.toString(), "--scenario", "backend-down-hard");
        System.out.print(run.out());
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.out().startsWith("listener single (tcp)\n"), run.out());
        assertTrue(run.out().contains("backend-down-hard  FAIL"), run.out());
        assertTrue(run.out().contains("pool only has one backend, so there is nothing to fail over to"), run.out());
        assertTrue(run.out().endsWith(config + ": 1 of 1 scenarios failed: backend-down-hard on single\n"),
                run.out());
        assertTrue(run.err().contains("backend-down-hard tcp: FAIL"), "progress on stderr: " + run.err());
    }

    @Test
    void jsonForCi(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("single.yaml"), CANNOT_FAIL_OVER);
        Run run = run(config.toString(), "--json", "--scenario=backend-slow,backend-down-hard", "--parallel", "2");
        assertEquals(1, run.exit(), run.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertEquals(false, json.get("passed").asBoolean());
        assertEquals("backend-down-hard", json.get("scenarios").get(0).get("scenario").asText());
        assertEquals(false, json.get("scenarios").get(0).get("passed").asBoolean());
        assertEquals("backend-slow", json.get("scenarios").get(1).get("scenario").asText());
        assertEquals(true, json.get("scenarios").get(1).get("passed").asBoolean());
        assertEquals("", run.err(), "nothing but JSON is printed");
    }

    @Test
    void aSoundExampleExitsZero() {
        Run run = run("../examples/tcp-round-robin.yaml", "--scenario", "backend-down-hard");
        System.out.print(run.out());
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("backend-down-hard  PASS"), run.out());
        assertTrue(run.out().contains("backend-down app-2, backend-up app-2"), run.out());
    }

    @Test
    void wrongInputExitsTwoWithTheReason(@TempDir Path dir) throws Exception {
        Run missing = run(dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("cannot read the configuration file"), missing.err());

        Path config = Files.writeString(dir.resolve("single.yaml"), CANNOT_FAIL_OVER);
        Run unknown = run(config.toString(), "--scenario", "backend-down-hrad");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("no scenario named \"backend-down-hrad\" (known: backend-down-hard,"),
                unknown.err());

        Run zero = run(config.toString(), "--parallel", "0");
        assertEquals(2, zero.exit());
        assertTrue(zero.err().contains("parallelism must be at least 1, not 0"), zero.err());

        Path bad = Files.writeString(dir.resolve("bad.yaml"), CANNOT_FAIL_OVER.replace("pool: only", "pool: onyl"));
        Run invalid = run(bad.toString());
        assertEquals(2, invalid.exit());
        assertTrue(invalid.err().contains("bad.yaml:2:"), invalid.err());
        assertTrue(invalid.err().contains("unknown pool \"onyl\""), invalid.err());
    }
}
