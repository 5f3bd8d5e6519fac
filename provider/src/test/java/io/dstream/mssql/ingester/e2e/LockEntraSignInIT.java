package io.dstream.mssql.ingester.e2e;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.LeaseStateType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.e2e.ManagedIdentityEndpoint.TokenRequest;
import io.dstream.mssql.ingester.locking.AzuriteExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code lock_config.account_url} alone, signed in with Microsoft Entra ID as on Azure App Service: the provider's
 * DefaultAzureCredential (the real azure-identity chain) gets its token from a managed identity endpoint
 * ({@link ManagedIdentityEndpoint}) and Azurite, over HTTPS with {@code --oauth basic}, checks the token's issuer,
 * audience and lifetime on every lease call. What this cannot show: a real tenant's token and role checks.
 */
class LockEntraSignInIT extends EmulatorTestBase {

    @RegisterExtension
    static final AzuriteExtension AZURITE = AzuriteExtension.withEntraSignIn();

    private static final Duration LEASE = Duration.ofSeconds(15);

    @BeforeAll
    static void table() {
        db.createTracked("dbo", "lock_entra_t", "id INT PRIMARY KEY");
    }

    @Test
    void anAccountUrlAloneSignsInWithTheManagedIdentityAndTakesTheLeases() throws IOException {
        String container = AzuriteExtension.uniqueContainer();
        try (ManagedIdentityEndpoint identity = ManagedIdentityEndpoint.start()) {
            ProviderProcess provider = startSignedIn(identity, container).awaitReady();

            BlobContainerClient blobs = AZURITE.serviceClient().getBlobContainerClient(container);
            await().atMost(STREAM).until(() -> leased(blobs, "tables/").size() == 1);
            assertThat(leased(blobs, "tables/").get(0).getName()).endsWith("/dbo/lock_entra_t.lock");
            assertThat(leased(blobs, "instances/")).hasSize(1);
            assertThat(identity.requests()).isNotEmpty()
                    .allSatisfy(request -> assertThat(request).isEqualTo(new TokenRequest("https://storage.azure.com", true)));
            assertThat(provider.stderr()).anySatisfy(line -> assertThat(line).contains("auth=entra"));
            stopCleanly(provider);

            assertThat(leased(blobs, "tables/")).as("released at stop").isEmpty();
            assertThat(identity.issuedTokens()).isNotEmpty().allSatisfy(token -> {
                assertThat(provider.stdout()).noneMatch(line -> line.contains(token));
                assertThat(provider.stderr()).noneMatch(line -> line.contains(token));
            });
        }
    }

    @Test
    void aTokenTheStorageRefusesIsAStartupErrorThatNamesTheIdentity() throws IOException {
        try (ManagedIdentityEndpoint identity = ManagedIdentityEndpoint.issuingTokensFor("https://vault.azure.net")) {
            ProviderProcess provider = startSignedIn(identity, AzuriteExtension.uniqueContainer());

            JsonNode error = Json.read(provider.firstLine(STARTUP));
            assertThat(error.path("status").asText()).isEqualTo("error");
            assertThat(provider.awaitExit(Duration.ofSeconds(10))).as("exit code").isEqualTo(2);
            assertThat(error.path("message").asText()).contains("refused the Microsoft Entra identity", "AuthenticationFailed",
                    "token is for Azure Storage");
            assertThat(identity.issuedTokens()).allSatisfy(token ->
                    assertThat(provider.stderr()).noneMatch(line -> line.contains(token)));
        }
    }

    private ProviderProcess startSignedIn(ManagedIdentityEndpoint identity, String container) {
        ObjectNode config = config("dbo.lock_entra_t");
        config.putObject("lock_config").put("type", "azure_blob").put("account_url", AZURITE.blobEndpoint())
                .put("container_name", container).put("lease_duration", LEASE.toSeconds() + "s");
        return track(ProviderProcess.start("run", config, identity.environment(), AZURITE.trustOptions()));
    }

    private static List<BlobItem> leased(BlobContainerClient blobs, String prefix) {
        return blobs.listBlobs(new ListBlobsOptions().setPrefix(prefix), Duration.ofSeconds(10)).stream()
                .filter(b -> b.getProperties().getLeaseState() == LeaseStateType.LEASED).toList();
    }
}
