package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.emulator.Emulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Microsoft Entra sign-in to the database with a managed identity, end to end: the provider, with
 * {@code Authentication=Active Directory Managed Identity}, runs where an App Service-style managed
 * identity endpoint answers; mssql-jdbc asks the emulator (Entra sign-in on, as Azure SQL) in PRELOGIN,
 * gets FEDAUTHINFO, fetches a token for {@code https://database.windows.net/} from the endpoint and
 * signs in with it; the provider streams, and the token reaches no log.
 */
class ManagedIdentitySignInIT extends EmulatorTestBase {

    private static final String AZURE_SQL = "https://database.windows.net/";

    @BeforeAll
    static void emulatorWithEntraSignIn() {
        if (!server.isEmbedded()) {
            return; // skipped: see the test
        }
        stopEmulator();
        use(new EmbeddedServer(Emulator.builder().database("testdb").credentials("sa", PASSWORD)
                .captureLatency(Duration.ofMillis(20)).entraSignIn(true).start()));
        db.createTracked("dbo", "mi_t", "id INT PRIMARY KEY");
    }

    @Test
    void aManagedIdentitySignsInAndStreams() throws IOException {
        assumeEmbedded("the emulator with Entra sign-in on, which takes the test endpoint's unsigned tokens");
        try (ManagedIdentityEndpoint identity = ManagedIdentityEndpoint.start()) {
            ObjectNode config = config("dbo.mi_t");
            config.put("db_connection_string", "Server=tcp:" + server.host() + "," + server.port() + ";Database="
                    + database() + ";Authentication=Active Directory Managed Identity;TrustServerCertificate=true");
            ProviderProcess provider = track(ProviderProcess.start("run", config, identity.environment())).awaitReady();
            db.exec("INSERT INTO dbo.mi_t (id) VALUES (7)");

            provider.awaitJson(line -> Changes.isEnvelopeOf(line, "dbo.mi_t"), STREAM);
            assertThat(identity.requests()).isNotEmpty()
                    .allSatisfy(request -> assertThat(request).isEqualTo(
                            new ManagedIdentityEndpoint.TokenRequest(AZURE_SQL, true)));
            assertThat(identity.issuedTokens()).isNotEmpty().allSatisfy(token -> {
                assertThat(provider.stdout()).noneMatch(line -> line.contains(token));
                assertThat(provider.stderr()).noneMatch(line -> line.contains(token));
            });
        }
    }
}
