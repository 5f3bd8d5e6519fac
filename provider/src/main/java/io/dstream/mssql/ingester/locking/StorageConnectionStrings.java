package io.dstream.mssql.ingester.locking;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Puts an Azure Storage connection string into the form the Java SDK parses. Azure's own tools
 * treat the setting names case-insensitively and tolerate blanks, quotes and a trailing ';'; the
 * Java SDK wants them exactly as documented ({@code AccountName}, not {@code accountname}). Values
 * are kept as they are.
 */
final class StorageConnectionStrings {

    private static final Map<String, String> CANONICAL = Map.ofEntries(
            canonical("DefaultEndpointsProtocol"), canonical("AccountName"), canonical("AccountKey"),
            canonical("EndpointSuffix"), canonical("BlobEndpoint"), canonical("BlobSecondaryEndpoint"),
            canonical("QueueEndpoint"), canonical("TableEndpoint"), canonical("FileEndpoint"),
            canonical("SharedAccessSignature"), canonical("UseDevelopmentStorage"), canonical("DevelopmentStorageProxyUri"));

    private StorageConnectionStrings() {
    }

    private static Map.Entry<String, String> canonical(String name) {
        return Map.entry(name.toLowerCase(Locale.ROOT), name);
    }

    /**
     * @throws LockerException when a setting has no '=' or the account key is not base64 (without the key in the message)
     */
    static String normalize(String connectionString) {
        String text = connectionString.trim();
        if (text.length() >= 2 && (text.startsWith("\"") && text.endsWith("\"") || text.startsWith("'") && text.endsWith("'"))) {
            text = text.substring(1, text.length() - 1).trim();
        }
        List<String> settings = new ArrayList<>();
        for (String part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new LockerException("connection_string: \"" + new Secrets(connectionString).redact(part.trim())
                        + "\" is not a name=value setting; settings are separated by ';'");
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            name = CANONICAL.getOrDefault(name.toLowerCase(Locale.ROOT), name);
            if (name.equals("AccountKey")) {
                checkBase64(value);
            }
            settings.add(name + "=" + value);
        }
        return String.join(";", settings);
    }

    private static void checkBase64(String key) {
        try {
            Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new LockerException("connection_string: AccountKey is not a base64 storage account key;"
                    + " copy it again from the storage account's \"Access keys\"");
        }
    }
}
