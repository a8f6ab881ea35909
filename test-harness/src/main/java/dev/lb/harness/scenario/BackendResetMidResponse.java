package dev.lb.harness.scenario;

import dev.lb.harness.toxiproxy.Direction;
import java.time.Duration;

/**
 * A backend resets its connections as soon as it starts answering ("connection reset by peer" mid-response), a
 * Toxiproxy {@code reset_peer} fault on its responses.
 *
 * <p>Expected as for {@link BackendDownSoft}: a probe that checks answers takes it out; the connect-only {@code tcp}
 * probe cannot see it (noted). After the repair it serves again with no failed request.
 */
public final class BackendResetMidResponse extends AnswerFault {

    /** The scenario; it holds no state between runs. */
    public BackendResetMidResponse() {
        super("backend-reset",
                "a backend resets connections mid-response; a probe that checks answers takes it out",
                "connections reset when the answer starts (reset_peer)",
                b -> b.link().resetPeer(Direction.DOWNSTREAM, Duration.ZERO), true);
    }
}
