package dev.lb.runtime.server;

/** Closing during cleanup, keeping the first failure and attaching later ones to it. */
final class Closeables {

    private Closeables() {
    }

    static void closeQuietly(AutoCloseable closeable, Throwable primary) {
        try {
            closeable.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }
}
