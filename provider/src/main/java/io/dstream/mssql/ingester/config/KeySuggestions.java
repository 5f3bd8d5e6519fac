package io.dstream.mssql.ingester.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Nearest-key hints for misspelt config keys ({@code did you mean "poll_interval"?}). */
final class KeySuggestions {

    private KeySuggestions() {
    }

    /** {@code ; did you mean "x"?} when a known key is close, otherwise the list of known keys. */
    static String hint(String unknown, Collection<String> known) {
        return nearest(unknown, known).map(best -> "; did you mean \"" + best + "\"?")
                .orElse("; known keys: " + String.join(", ", known));
    }

    /** The known name closest to {@code unknown}, ignoring case, if it is close enough to be a misspelling. */
    static Optional<String> nearest(String unknown, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            if (Math.abs(unknown.length() - candidate.length()) > Math.max(2, candidate.length() / 3)) {
                continue; // too far apart in length to be a misspelling; spares the quadratic distance on long input
            }
            int d = distance(unknown.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
