package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.locking.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged linux_amd64 plugin signs in with Microsoft Entra ID on its jlink'd runtime: azure-identity and
 * msal4j load and run their DefaultAzureCredential chain there (environment, workload identity, the managed
 * identity endpoint, the CLIs). With a managed identity endpoint it takes its lease in Azurite over HTTPS; with
 * no identity that ends in the startup error that says what to set up, not in a missing class or module.
 */
class PackagedPluginEntraIT extends EmulatorTestBase {

    @RegisterExtension
    static final AzuriteExtension AZURITE = AzuriteExtension.withEntraSignIn();

    @TempDir
    static Path temp;

    @Test
    void linuxAmd64PluginSignsInWithAManagedIdentityAndTakesTheLease() throws IOException {
        Path plugin = PackagedPlugin.install(temp.resolve("home-identity"), "linux_amd64");
        db.createTracked("dbo", "packaged_identity", "id INT PRIMARY KEY");
        ObjectNode config = config("dbo.packaged_identity");
        config.putObject("lock_config").put("type", "azure_blob").put("account_url", AZURITE.blobEndpoint())
                .put("container_name", AzuriteExtension.uniqueContainer()).put("lease_duration", "15s");

        try (ManagedIdentityEndpoint identity = ManagedIdentityEndpoint.start()) {
            ProcessBuilder command = PackagedPlugin.command(plugin, temp.resolve("cwd-identity"));
            command.environment().putAll(identity.environment());
            command.environment().put("PROVIDER_JAVA_OPTS", String.join(" ", AZURITE.trustOptions()));
            ProviderProcess provider = track(ProviderProcess.startCommand(command, Json.envelope("run", config), "plugin-identity"));
            provider.awaitReady(STARTUP);
            provider.awaitStderr(line -> line.contains("dbo.packaged_identity: lock acquired"), STREAM);
            stopCleanly(provider);

            assertThat(identity.requests()).isNotEmpty();
            assertThat(provider.stderr()).anyMatch(line -> line.contains("auth=entra"))
                    .anyMatch(line -> line.contains("released 1 lock"));
        }
    }

    @Test
    void linuxAmd64PluginRunsTheEntraCredentialChain() throws IOException {
        Path plugin = PackagedPlugin.install(temp.resolve("home"), "linux_amd64");
        db.createTracked("dbo", "packaged_entra", "id INT PRIMARY KEY");
        ObjectNode config = config("dbo.packaged_entra");
        config.putObject("lock_config").put("type", "azure_blob").put("account_url", "https://127.0.0.1:9/devstoreaccount1")
                .put("container_name", "locks");

        ProviderProcess provider = track(ProviderProcess.startCommand(PackagedPlugin.command(plugin, temp.resolve("cwd")),
                Json.envelope("run", config), "plugin-entra"));
        JsonNode error = Json.read(provider.firstLine(STARTUP));

        assertThat(error.path("status").asText()).isEqualTo("error");
        assertThat(error.path("message").asText()).contains("no Microsoft Entra identity could sign in", "az login");
        assertThat(provider.awaitExit(Duration.ofSeconds(10))).isEqualTo(2);
        assertThat(provider.stderr()).noneMatch(line -> line.contains("NoClassDefFoundError") || line.contains("ClassNotFoundException"));
    }
}
