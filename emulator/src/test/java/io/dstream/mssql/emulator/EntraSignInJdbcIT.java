package io.dstream.mssql.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import com.microsoft.sqlserver.jdbc.SqlAuthenticationToken;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Microsoft Entra sign-in with {@code entraSignIn(true)}, as Azure SQL answers it: PRELOGIN says
 * FEDAUTHREQUIRED, a token in LOGIN7 or one fetched after FEDAUTHINFO (the MSAL workflow) signs in
 * when it is for Azure SQL and not expired, and the session's user is the token's object id.
 */
class EntraSignInJdbcIT {

    private static final String AZURE_SQL = "https://database.windows.net/";
    private static final String OID = "6f1e3c2a-8d4b-4c1e-9a7f-0b2c3d4e5f60";

    private static Emulator emulator;

    @BeforeAll
    static void start() {
        // SQL logins are checked: an Entra sign-in must not need them
        emulator = Emulator.builder().credentials("sa", "Sql-Passw0rd").entraSignIn(true).start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String jwt(String audience, Instant expires) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"aud\":\"" + audience + "\",\"iss\":\"https://sts.windows.net/t/\",\"exp\":"
                + expires.getEpochSecond() + ",\"oid\":\"" + OID + "\"}";
        return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(new byte[16]);
    }

    private static SQLServerDataSource source() {
        SQLServerDataSource source = new SQLServerDataSource();
        source.setURL("jdbc:sqlserver://" + emulator.host() + ":" + emulator.port() + ";databaseName="
                + emulator.database() + ";encrypt=true;trustServerCertificate=true");
        return source;
    }

    private static String login(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SUSER_SNAME()")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void anAccessTokenForAzureSqlSignsInAsItsObjectId() throws SQLException {
        SQLServerDataSource source = source();
        source.setAccessToken(jwt(AZURE_SQL, Instant.now().plusSeconds(3600)));
        try (Connection c = source.getConnection()) {
            assertThat(login(c)).isEqualTo(OID);
        }
    }

    @Test
    void aTokenFetchedAfterFedAuthInfoSignsIn() throws SQLException {
        List<String> asked = new CopyOnWriteArrayList<>();
        SQLServerDataSource source = source();
        source.setAccessTokenCallback((spn, stsUrl) -> {
            asked.add(spn);
            Instant expires = Instant.now().plusSeconds(3600);
            return new SqlAuthenticationToken(jwt("https://database.windows.net", expires), expires.toEpochMilli());
        });
        try (Connection c = source.getConnection()) {
            assertThat(login(c)).isEqualTo(OID);
        }
        assertThat(asked).containsExactly(AZURE_SQL);
    }

    @Test
    void aTokenForAnotherAudienceOrExpiredIsLoginFailed() {
        SQLServerDataSource storage = source();
        storage.setAccessToken(jwt("https://storage.azure.com/", Instant.now().plusSeconds(3600)));
        SQLServerDataSource expired = source();
        expired.setAccessToken(jwt(AZURE_SQL, Instant.now().minusSeconds(60)));

        assertThatThrownBy(storage::getConnection).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo(18456);
            assertThat(e.getMessage()).contains("https://storage.azure.com/, not for Azure SQL");
        });
        assertThatThrownBy(expired::getConnection).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo(18456);
            assertThat(e.getMessage()).contains("expired");
        });
    }

    @Test
    void sqlLoginsStillWork() throws SQLException {
        SQLServerDataSource source = source();
        source.setUser("sa");
        source.setPassword("Sql-Passw0rd");
        try (Connection c = source.getConnection()) {
            assertThat(login(c)).isEqualTo("sa");
        }
    }
}
