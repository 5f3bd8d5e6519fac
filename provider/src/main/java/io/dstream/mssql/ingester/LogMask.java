package io.dstream.mssql.ingester;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The last guard between a secret and a log line: every line, in either log format, passes through
 * {@link #apply}. It hides the secret values the configuration holds (registered once it is read:
 * the SQL password or client secret, the storage account key or SAS token) wherever they appear, and
 * the value of any {@code password=}, {@code AccountKey=}, {@code SharedAccessSignature=} or
 * {@code sig=} setting, known or not. The code also avoids logging secrets in the first place; this
 * catches what a driver or SDK message might quote.
 */
public final class LogMask {

    static final String HIDDEN = "***";
    /** Shorter values are not hidden by value (they would garble every line); their named settings still are. */
    static final int MIN_SECRET_CHARS = 4;
    private static final Pattern NAMED = Pattern.compile(
            "(?i)\\b(password|pwd|AccountKey|SharedAccessKey|SharedAccessSignature|sig|client_secret|sas_token)"
                    + "(\\s*=\\s*)([^;&\\s\"']+)");

    private static volatile List<String> secrets = List.of();

    private LogMask() {
    }

    /** Hides these values in every later log line (blank and very short values are ignored). */
    public static synchronized void hide(Collection<String> values) {
        List<String> all = new ArrayList<>(secrets);
        for (String value : values) {
            if (value != null && value.strip().length() >= MIN_SECRET_CHARS && !all.contains(value)) {
                all.add(value);
            }
        }
        // longest first, so that a secret containing another is hidden whole
        all.sort((a, b) -> Integer.compare(b.length(), a.length()));
        secrets = List.copyOf(all);
    }

    /** Forgets the registered values (tests). */
    static synchronized void reset() {
        secrets = List.of();
    }

    /** The text with every secret replaced by {@value #HIDDEN}. */
    public static String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            if (out.contains(secret)) {
                out = out.replace(secret, HIDDEN);
            }
        }
        return NAMED.matcher(out).replaceAll(m -> m.group(1) + m.group(2) + HIDDEN);
    }
}
