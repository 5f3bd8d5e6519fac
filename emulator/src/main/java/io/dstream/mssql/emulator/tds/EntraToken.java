package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.SqlError;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check a Microsoft Entra access token must pass to sign in, the way Azurite's
 * {@code --oauth basic} checks its tokens: the claims say the token is for Azure SQL
 * ({@code aud} {@code https://database.windows.net/}, with or without the slash) and not expired
 * ({@code exp}); the signature is not checked. The principal is the token's object id, else its
 * application id, else its subject.
 */
final class EntraToken {

    /** The resource Azure SQL tokens are issued for; also the SPN the FEDAUTHINFO token names. */
    static final String AZURE_SQL_RESOURCE = "https://database.windows.net/";
    private static final Set<String> AUDIENCES = Set.of(AZURE_SQL_RESOURCE, "https://database.windows.net");
    private static final int LOGIN_FAILED = 18456;

    private EntraToken() {
    }

    /**
     * @return the principal the token names
     * @throws SqlError 18456 saying what is wrong with the token (never the token itself)
     */
    static String principal(String jwt, Instant now) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            throw refused("it is not a JSON Web Token");
        }
        String claims;
        try {
            claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw refused("its claims are not base64url");
        }
        String audience = text(claims, "aud").orElseThrow(() -> refused("it has no aud claim"));
        if (!AUDIENCES.contains(audience)) {
            throw refused("it is for " + audience + ", not for Azure SQL (" + AZURE_SQL_RESOURCE + ")");
        }
        long expires = number(claims, "exp").orElseThrow(() -> refused("it has no exp claim"));
        if (expires <= now.getEpochSecond()) {
            throw refused("it expired at " + Instant.ofEpochSecond(expires));
        }
        return text(claims, "oid").or(() -> text(claims, "appid")).or(() -> text(claims, "sub"))
                .orElseThrow(() -> refused("it names no principal (oid, appid or sub)"));
    }

    private static SqlError refused(String why) {
        return new SqlError(LOGIN_FAILED, 1, 14, "Login failed: the Microsoft Entra token was refused, "
                + why + ".");
    }

    // The claims are flat JSON with string and number values; a pattern per claim is enough to read them.
    private static Optional<String> text(String json, String claim) {
        Matcher m = Pattern.compile("\"" + claim + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? Optional.of(m.group(1).replace("\\/", "/")) : Optional.empty();
    }

    private static Optional<Long> number(String json, String claim) {
        Matcher m = Pattern.compile("\"" + claim + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }
}
