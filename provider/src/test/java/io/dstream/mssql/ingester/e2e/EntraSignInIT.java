package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Microsoft Entra ID sign-in against a server that has none (the emulator, like an on-premises SQL
 * Server with TLS but without Microsoft Entra): the provider fails at startup with the contract's
 * error line and exit code 2, a message that says what went wrong, and the client secret nowhere.
 * The emulator is not taught to accept Entra tokens: what is tested is what the user sees when
 * sign-in cannot happen.
 */
class EntraSignInIT extends EmulatorTestBase {

    private static final String CLIENT_ID = "5b1c2f3e-0d4a-4e6b-9c8d-7a6b5c4d3e2f";
    private static final String SECRET = "Entra-Client-Secret~4711";

    @BeforeAll
    static void table() {
        db.createTracked("dbo", "entra_t", "id INT PRIMARY KEY");
    }

    @Test
    void servicePrincipalAgainstAServerWithoutEntraFailsClearly() {
        assumeEmbedded("a server without Microsoft Entra, where a real test server may have it");
        // the server does not ask for Entra sign-in in PRELOGIN, so mssql-jdbc tries the client id as a SQL login
        JsonNode error = startupError(servicePrincipal(";TrustServerCertificate=true"));

        assertThat(error.path("message").asText()).contains(server.host() + ":" + server.port())
                .contains("SQL Server error 18456").contains("did not ask for Microsoft Entra sign-in");
    }

    @Test
    void servicePrincipalAgainstAnUntrustedCertificateFailsClearly() {
        assumeEmbedded("the emulator's self-signed certificate, which this JVM does not trust");
        JsonNode error = startupError(servicePrincipal(""));

        assertThat(error.path("message").asText()).contains(server.host() + ":" + server.port())
                .contains("certificate is not trusted here").doesNotContain("encrypt=false");
    }

    /** Starts the provider with a service principal's sign-in to the server; checks the secret leaks nowhere. */
    private ProviderProcess servicePrincipal(String moreOptions) {
        ObjectNode config = config("dbo.entra_t");
        config.put("db_connection_string", "Server=tcp:" + server.host() + "," + server.port() + ";Database="
                + database() + ";Authentication=Active Directory Service Principal;User Id=" + CLIENT_ID
                + ";Password=" + SECRET + moreOptions);
        long started = System.nanoTime();
        ProviderProcess provider = track(ProviderProcess.start("run", config));
        provider.firstLine(STARTUP);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(STARTUP);
        return provider;
    }

    @Test
    void servicePrincipalWithoutSecretIsAConfigError() {
        ObjectNode config = config("dbo.entra_t");
        config.put("db_connection_string", "sqlserver://" + server.host() + ":" + server.port() + "?database="
                + database() + "&fedauth=ActiveDirectoryServicePrincipal&user%20id=" + CLIENT_ID);
        ProviderProcess provider = track(ProviderProcess.start("run", config));

        JsonNode error = startupError(provider);
        assertThat(error.path("message").asText()).contains("db_connection_string")
                .contains("Authentication=ActiveDirectoryServicePrincipal without a password");
    }

    private static JsonNode startupError(ProviderProcess provider) {
        String first = provider.firstLine(STARTUP);
        JsonNode error = Json.read(first);
        assertThat(error.path("status").asText()).as("first line %s", first).isEqualTo("error");
        assertThat(provider.awaitExit(Duration.ofSeconds(10))).as("exit code").isEqualTo(2);
        assertThat(provider.stdout()).noneMatch(line -> line.contains(SECRET));
        assertThat(provider.stderr()).noneMatch(line -> line.contains(SECRET));
        return error;
    }
}
