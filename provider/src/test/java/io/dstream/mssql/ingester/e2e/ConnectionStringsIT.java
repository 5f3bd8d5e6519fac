package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The three connection-string forms users already have (ADO.NET, go-mssqldb URL, JDBC) all reach the database. */
class ConnectionStringsIT extends EmulatorTestBase {

    @BeforeAll
    static void table() {
        db.createTracked("dbo", "cs_t", "id INT PRIMARY KEY");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "server={host},{port};database={db};user id={user};password={password};encrypt=false;trustservercertificate=true",
            "Data Source=tcp:{host},{port};Initial Catalog={db};uid={user};pwd={password};Encrypt=False",
            "sqlserver://{user}:{password-url}@{host}:{port}?database={db}&encrypt=disable",
            "jdbc:sqlserver://{host}:{port};databaseName={db};user={user};password={password};encrypt=false"})
    void everyFormReachesTheDatabase(String form) {
        ObjectNode config = config("dbo.cs_t");
        config.put("db_connection_string", fill(form));
        config.remove("lock_config"); // the default is "none"
        ProviderProcess provider = start("plan", config).awaitReady();

        assertThat(provider.awaitExit(STARTUP)).isZero();
        assertThat(Json.read(provider.stdout().get(1)).path("capture_instance").asText()).isEqualTo("dbo_cs_t");
        String password = ConfigErrorsIT.password(connectionString());
        if (password.length() >= 4) {
            assertThat(provider.stderr()).noneMatch(line -> line.contains(password));
        }
    }

    private static String fill(String form) {
        String password = ConfigErrorsIT.password(connectionString());
        return form.replace("{host}", server.host())
                .replace("{port}", Integer.toString(server.port()))
                .replace("{db}", server.database())
                .replace("{user}", user(connectionString()))
                .replace("{password-url}", URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20"))
                .replace("{password}", password);
    }

    private static String user(String connectionString) {
        Matcher m = Pattern.compile("(?i)(user id|uid|user)\\s*=\\s*([^;]*)").matcher(connectionString);
        return m.find() ? m.group(2).trim() : "sa";
    }
}
