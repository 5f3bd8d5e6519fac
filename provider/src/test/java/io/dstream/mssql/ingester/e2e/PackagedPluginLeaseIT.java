package io.dstream.mssql.ingester.e2e;

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
 * The packaged linux_amd64 plugin with Azure Blob leases (Azurite): the Azure SDK and its netty transport run on the
 * jlink'd runtime, whose modules jdeps chose from the jar. Skipped without Azurite, except under {@code CI=true}.
 */
class PackagedPluginLeaseIT extends EmulatorTestBase {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @TempDir
    static Path temp;

    @Test
    void linuxAmd64PluginTakesAndReleasesTheTableLease() throws IOException {
        Path plugin = PackagedPlugin.install(temp.resolve("home"), "linux_amd64");
        db.createTracked("dbo", "packaged_lease", "id INT PRIMARY KEY");
        db.exec("INSERT INTO dbo.packaged_lease VALUES (3)");
        ObjectNode config = config("dbo.packaged_lease");
        AZURITE.putLockConfig(config, AzuriteExtension.uniqueContainer(), Duration.ofSeconds(15));

        ProviderProcess provider = track(ProviderProcess.startCommand(PackagedPlugin.command(plugin, temp.resolve("cwd")),
                Json.envelope("run", config), "plugin-lease"));
        provider.awaitReady(STARTUP);
        provider.awaitStderr(line -> line.contains("dbo.packaged_lease: lock acquired"), STREAM);
        envelopeChangesUntil(provider, "dbo.packaged_lease", change("insert", 3));
        stopCleanly(provider);
        assertThat(provider.stderr()).anyMatch(line -> line.contains("lock released") || line.contains("released 1 lock"));
    }
}
