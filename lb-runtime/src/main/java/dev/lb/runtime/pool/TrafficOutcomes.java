package dev.lb.runtime.pool;

/**
 * What live traffic says about a backend: every listener reports here how its connections and requests to a backend
 * ended, and passive health checking (outlier detection) listens. Called on event loops: implementations must be
 * quick and must not block. Each method does nothing by default.
 */
public interface TrafficOutcomes {

    /** Outcomes nobody listens to. */
    TrafficOutcomes IGNORED = new TrafficOutcomes() { };

    /**
     * {@code backend} was chosen for a client or request; {@code attempt} is 0 for the first choice and counts the
     * retries after failures.
     */
    default void picked(BackendState backend, int attempt) {
    }

    /** A connection to {@code backend} was established. */
    default void connected(BackendState backend) {
    }

    /** A connection to {@code backend} could not be established (refused, timed out, unreachable). */
    default void connectFailed(BackendState backend, Throwable cause) {
    }

    /** {@code backend} reset or closed a connection before answering a request sent on it. */
    default void resetBeforeResponse(BackendState backend) {
    }

    /** {@code backend} answered an HTTP request with {@code status}. */
    default void responded(BackendState backend, int status) {
    }

    /**
     * Reports to {@code first}, then to {@code second}: each receives every report whatever the other does with it
     * (neither may throw; they run on event loops).
     */
    static TrafficOutcomes both(TrafficOutcomes first, TrafficOutcomes second) {
        if (second == IGNORED) {
            return first;
        }
        if (first == IGNORED) {
            return second;
        }
        return new TrafficOutcomes() {
            @Override
            public void picked(BackendState backend, int attempt) {
                first.picked(backend, attempt);
                second.picked(backend, attempt);
            }

            @Override
            public void connected(BackendState backend) {
                first.connected(backend);
                second.connected(backend);
            }

            @Override
            public void connectFailed(BackendState backend, Throwable cause) {
                first.connectFailed(backend, cause);
                second.connectFailed(backend, cause);
            }

            @Override
            public void resetBeforeResponse(BackendState backend) {
                first.resetBeforeResponse(backend);
                second.resetBeforeResponse(backend);
            }

            @Override
            public void responded(BackendState backend, int status) {
                first.responded(backend, status);
                second.responded(backend, status);
            }
        };
    }
}
