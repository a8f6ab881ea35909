package dev.lb.plugins.script;

import java.io.Serial;

/** A policy file could not be loaded: unreadable, not valid JavaScript, no {@code pick}, or {@code init} failed. */
final class PolicyLoadException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message the problem, starting with {@code file:line:column} when the script is at fault */
    PolicyLoadException(String message) {
        super(message);
    }
}
