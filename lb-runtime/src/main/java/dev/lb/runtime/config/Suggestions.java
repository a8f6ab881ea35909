package dev.lb.runtime.config;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" for a misspelt name: the closest known name, when it is close enough to be a typo. */
final class Suggestions {

    private Suggestions() {
    }

    /** The known name closest to {@code name}, if it is within a few edits of it. */
    static Optional<String> closest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        // Short names get little slack, or every two-letter key would "mean" every other one.
        int allowed = Math.max(1, Math.min(3, name.length() / 4));
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** {@code unknown key "x" (did you mean "y"? known: a, b)}, the shape of every unknown-name message. */
    static String unknown(String what, String name, Collection<String> known) {
        StringBuilder text = new StringBuilder("unknown ").append(what).append(" \"").append(name).append("\" (");
        closest(name, known).ifPresent(s -> text.append("did you mean \"").append(s).append("\"? "));
        text.append("known: ").append(known.isEmpty() ? "none" : String.join(", ", known)).append(')');
        return text.toString();
    }

    /** The Damerau-Levenshtein distance (with adjacent transpositions), case-insensitive. */
    static int distance(String a, String b) {
        a = a.toLowerCase(java.util.Locale.ROOT);
        b = b.toLowerCase(java.util.Locale.ROOT);
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
