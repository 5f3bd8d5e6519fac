package io.dstream.mssql.ingester.locking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where the locks live in the container.
 *
 * <pre>
 * tables/&lt;server&gt;/&lt;database&gt;/&lt;schema&gt;/&lt;table&gt;.lock   one blob per table; its lease is the table's lock
 * instances/&lt;instance id&gt;                                one blob per running instance; its lease is a heartbeat
 * </pre>
 *
 * <p>Each of the four parts is lower-cased and percent-encoded (UTF-8; every byte other than
 * {@code a-z 0-9 - _ ~} becomes {@code %XX}, including {@code /} and {@code .}), so no two
 * different keys share a blob: {@code dbo.a/b} and {@code dbo/a.b} stay apart, and no part can
 * become a {@code .} or {@code ..} path segment. Lower-casing follows SQL Server's default
 * case-insensitive collations: {@code dbo.Customers} and {@code dbo.customers} are the same table
 * there, so they must be the same lock; with a case-sensitive collation two tables differing only
 * in case share a lock, which only means they are streamed by the same instance. Example:
 * {@code tables/sql1.example.com%2C1433/sales/dbo/order%20lines.lock}. A name longer than Azure's
 * 1024-character limit is replaced by {@code tables/sha256-<hex of the full name>.lock}.
 */
public final class LockBlobNames {

    public static final String TABLES_PREFIX = "tables/";
    public static final String INSTANCES_PREFIX = "instances/";
    private static final int MAX_BLOB_NAME = 1024;

    private LockBlobNames() {
    }

    public static String table(LockKey key) {
        String name = TABLES_PREFIX + encode(key.server()) + "/" + encode(key.database()) + "/"
                + encode(key.schema()) + "/" + encode(key.table()) + ".lock";
        return name.length() <= MAX_BLOB_NAME ? name : TABLES_PREFIX + "sha256-" + sha256(name) + ".lock";
    }

    public static String instance(String instanceId) {
        return INSTANCES_PREFIX + encode(instanceId);
    }

    static String encode(String part) {
        byte[] bytes = part.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
