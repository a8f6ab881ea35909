package dev.lb.plugins.script;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** Where a script went wrong, as {@code file.js:line:column}, for logs and validation messages. */
final class PolicyError {

    private PolicyError() {
    }

    /** {@code file:line:column} of the innermost guest frame of {@code e}, or {@code fallbackName} when it has none. */
    static String location(PolyglotException e, String fallbackName) {
        SourceSection section = e.getSourceLocation();
        if (section == null || !section.isAvailable() || isPrelude(section)) {
            // Our glue is no use to the script's author: name the innermost frame of the script itself.
            section = null;
            for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                SourceSection at = frame.getSourceLocation();
                if (frame.isGuestFrame() && at != null && at.isAvailable() && !isPrelude(at)) {
                    section = at;
                    break;
                }
            }
        }
        return section == null ? fallbackName : location(section);
    }

    private static boolean isPrelude(SourceSection section) {
        return PolicyContext.PRELUDE_NAME.equals(section.getSource().getName());
    }

    /** {@code file:line:column} of {@code section}. */
    static String location(SourceSection section) {
        if (section == null || !section.isAvailable()) {
            return "unknown location";
        }
        return section.getSource().getName() + ":" + section.getStartLine() + ":" + section.getStartColumn();
    }

    /**
     * What a syntax error says, without GraalVM's own {@code SyntaxError: file:line:column} in front: that location
     * counts columns from 0 and would contradict the 1-based one we put before the message.
     */
    static String syntaxMessage(PolyglotException e, String name) {
        String message = e.getMessage();
        String prefix = "SyntaxError: " + name + ":";
        if (message != null && message.startsWith(prefix)) {
            int space = message.indexOf(' ', prefix.length());
            if (space > 0 && message.substring(prefix.length(), space).matches("\\d+:\\d+")) {
                return message.substring(space + 1);
            }
        }
        return message;
    }
}
