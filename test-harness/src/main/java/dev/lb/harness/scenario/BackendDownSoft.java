package dev.lb.harness.scenario;

import dev.lb.harness.toxiproxy.Direction;
import java.time.Duration;

/**
 * A backend goes down soft: it accepts connections but never answers (a hung process), a Toxiproxy {@code timeout}
 * fault with no end on its responses.
 *
 * <p>Expected: with a probe that checks answers, the backend leaves rotation within the health budget with
 * {@code backend-down} and no client error after that; with the connect-only {@code tcp} probe it cannot be seen
 * (noted in the result) and the clients sent to it wait out their timeout. After the repair it serves again, and no
 * request fails.
 */
public final class BackendDownSoft extends AnswerFault {

    /** The scenario; it holds no state between runs. */
    public BackendDownSoft() {
        super("backend-down-soft",
                "a backend accepts connections but never answers; a probe that checks answers takes it out",
                "answers never arrive (timeout)",
                b -> b.link().timeout(Direction.DOWNSTREAM, Duration.ZERO), false);
    }
}
