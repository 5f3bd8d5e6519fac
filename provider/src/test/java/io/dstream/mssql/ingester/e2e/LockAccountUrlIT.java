package io.dstream.mssql.ingester.e2e;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.LeaseStateType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.locking.AzuriteExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code lock_config} with {@code account_url} instead of a connection string: with a SAS token the
 * provider takes its leases in Azurite; alone (Microsoft Entra ID through DefaultAzureCredential) on a
 * machine with no identity, it fails at startup saying what to set up.
 */
class LockAccountUrlIT extends EmulatorTestBase {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final Duration LEASE = Duration.ofSeconds(15);

    @BeforeAll
    static void table() {
        db.createTracked("dbo", "lock_url_t", "id INT PRIMARY KEY");
    }

    @Test
    void anAccountUrlWithASasTokenTakesTheLeases() {
        String container = AzuriteExtension.uniqueContainer();
        String sas = service().generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse("racwdl"), AccountSasService.parse("b"), AccountSasResourceType.parse("co")));
        String signature = sas.replaceAll(".*sig=([^&]+).*", "$1");
        ObjectNode config = config("dbo.lock_url_t");
        config.putObject("lock_config").put("type", "azure_blob").put("account_url", AZURITE.blobEndpoint())
                .put("sas_token", "?" + sas).put("container_name", container).put("lease_duration", LEASE.toSeconds() + "s");
        ProviderProcess provider = start("run", config).awaitReady();

        BlobContainerClient blobs = service().getBlobContainerClient(container);
        await().atMost(STREAM).until(() -> leased(blobs, "tables/").size() == 1);
        assertThat(leased(blobs, "tables/").get(0).getName()).endsWith("/dbo/lock_url_t.lock");
        assertThat(leased(blobs, "instances/")).hasSize(1);
        assertThat(provider.stderr()).anySatisfy(line -> assertThat(line).contains("auth=sas_token"));
        stopCleanly(provider);
        assertThat(leased(blobs, "tables/")).as("released at stop").isEmpty();
        assertThat(signature).hasSizeGreaterThan(8);
        assertThat(provider.stdout()).noneMatch(line -> line.contains(signature));
        assertThat(provider.stderr()).noneMatch(line -> line.contains(signature));
    }

    @Test
    void anAccountUrlAloneWithoutAnyIdentityFailsAtStartupSayingWhatToSetUp() {
        ObjectNode config = config("dbo.lock_url_t");
        config.putObject("lock_config").put("type", "azure_blob").put("account_url", "https://127.0.0.1:" + AZURITE.port()
                + "/devstoreaccount1").put("container_name", AzuriteExtension.uniqueContainer());
        long started = System.nanoTime();
        ProviderProcess provider = track(ProviderProcess.start("run", config));

        String first = provider.firstLine(STARTUP);
        JsonNode error = Json.read(first);
        assertThat(error.path("status").asText()).as("first line %s", first).isEqualTo("error");
        assertThat(provider.awaitExit(Duration.ofSeconds(10))).as("exit code").isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(STARTUP);
        assertThat(error.path("message").asText()).contains("no Microsoft Entra identity could sign in",
                "AZURE_CLIENT_SECRET", "managed identity", "az login");
        assertThat(provider.stderr()).noneMatch(line -> line.contains("\tat com.azure") || line.contains("msal4j")
                || line.contains("ManagedIdentityApplication"));
    }

    private static BlobServiceClient service() {
        return AZURITE.serviceClient();
    }

    private static List<BlobItem> leased(BlobContainerClient blobs, String prefix) {
        return blobs.listBlobs(new ListBlobsOptions().setPrefix(prefix), Duration.ofSeconds(10)).stream()
                .filter(b -> b.getProperties().getLeaseState() == LeaseStateType.LEASED).toList();
    }
}
