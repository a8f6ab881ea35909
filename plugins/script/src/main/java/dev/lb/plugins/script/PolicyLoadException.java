package dev.lb.plugins.script;

import java.io.Serial;

/** A policy file could not be loaded: unreadable, not valid JavaScript, no {@code pick}, or {@code init} failed. */
final class PolicyLoadException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /** {@code file:line:column} where the script failed, or null when not known. */
    private final String where;

    /** @param message the problem, starting with {@code file:line:column} when the script is at fault */
    PolicyLoadException(String message) {
        super(message);
        this.where = null;
    }

    /**
     * @param where {@code file:line:column} where the script failed
     * @param problem what went wrong there
     */
    PolicyLoadException(String where, String problem) {
        super(where + ": " + problem);
        this.where = where;
    }

    /** {@code file:line:column} where the script failed, or null when not known. */
    String where() {
        return where;
    }
}
