package dev.lb.plugins.script;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What tests of one {@link ScriptAlgorithm} share: a folder for its policy file, the algorithm's log captured, and the
 * algorithm (set by the test) closed after each test.
 */
abstract class AlgorithmFixture {

    @TempDir
    Path dir;

    LogCapture log;
    ScriptAlgorithm algorithm;

    @BeforeEach
    void captureLog() {
        log = new LogCapture(ScriptAlgorithm.class);
    }

    @AfterEach
    void close() {
        if (algorithm != null) {
            algorithm.close();
        }
        log.close();
    }
}
