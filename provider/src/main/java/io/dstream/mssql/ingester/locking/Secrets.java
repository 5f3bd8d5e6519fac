package io.dstream.mssql.ingester.locking;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the secrets of an Azure Storage connection string from any text before it is logged or
 * put in an error message: {@code AccountKey=***}, {@code SharedAccessSignature=***},
 * {@code sig=***} (the signature of a SAS URL), and every secret value found in the connection
 * string or the SAS token wherever else it appears (an SDK message quoting it, for instance).
 */
final class Secrets {

    /**
     * Named secrets: a whole SAS token up to the next ';' of a connection string, a key, or the
     * {@code sig} parameter of a SAS query string (up to the next '&').
     */
    private static final Pattern NAMED = Pattern.compile(
            "(?i)\\b(SharedAccessSignature)=([^;\\s\"']+)|\\b(AccountKey|SharedAccessKey|sig)=([^;&\\s\"']+)");

    private final List<String> values = new ArrayList<>();

    Secrets(String connectionString) {
        this(connectionString, null);
    }

    /**
     * @param sasToken a SAS token given on its own ({@code lock_config.sas_token}): masked whole, and its
     *                 {@code sig} wherever it appears (an SDK message quoting a request URL)
     */
    Secrets(String connectionString, String sasToken) {
        for (String text : new String[] {connectionString, sasToken}) {
            if (text != null) {
                Matcher m = NAMED.matcher(text);
                while (m.find()) {
                    values.add(m.group(2) != null ? m.group(2) : m.group(4));
                }
            }
        }
        if (sasToken != null) {
            String token = sasToken.strip();
            values.add(0, token.startsWith("?") ? token.substring(1) : token);
        }
    }

    /** The secret values found, as written. */
    List<String> values() {
        return List.copyOf(values);
    }

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String value : values) {
            if (value.length() >= 4) {
                out = out.replace(value, "***");
            }
        }
        return NAMED.matcher(out).replaceAll(m -> (m.group(1) != null ? m.group(1) : m.group(3)) + "=***");
    }
}
