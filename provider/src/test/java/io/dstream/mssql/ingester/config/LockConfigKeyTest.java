package io.dstream.mssql.ingester.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.locking.LockConfig;
import io.dstream.mssql.ingester.locking.LockType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code lock_config}'s three ways to reach the storage account, exactly one at a time, and its secrets kept out of sight. */
class LockConfigKeyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "https://acme.blob.core.windows.net";
    private static final String SAS = "sv=2022-11-02&ss=b&srt=co&sp=racwdl&se=2030-01-01T00:00:00Z&sig=c2lnbmF0dXJlX19fX18%3D";

    private static ObjectNode config(Consumer<ObjectNode> lock) {
        ObjectNode config = JSON.createObjectNode();
        config.put("db_connection_string", "server=localhost,1433;database=testdb;user id=sa;password=Secret123;encrypt=false");
        config.putArray("tables").add("dbo.customers");
        ObjectNode l = config.putObject("lock_config").put("type", "azure_blob").put("container_name", "locks");
        lock.accept(l);
        return config;
    }

    private static LockConfig parsed(Consumer<ObjectNode> lock) throws ConfigException {
        return ProviderConfig.from(config(lock)).lockConfig();
    }

    private static List<String> problems(Consumer<ObjectNode> lock) {
        return catchThrowableOfType(ConfigException.class, () -> ProviderConfig.from(config(lock))).problems();
    }

    @Test
    void accountUrlAloneSignsInWithEntra() throws ConfigException {
        LockConfig c = parsed(l -> l.put("account_url", " " + URL + " "));

        assertThat(c).isEqualTo(new LockConfig(LockType.AZURE_BLOB, null, URL, null, "locks", LockConfig.DEFAULT_LEASE_DURATION));
        assertThat(c.credentialKind()).contains("Microsoft Entra ID");
    }

    @Test
    void accountUrlWithSasToken() throws ConfigException {
        LockConfig c = parsed(l -> l.put("account_url", "http://127.0.0.1:10000/devstoreaccount1").put("sas_token", "?" + SAS)
                .put("lease_duration", "20s"));

        assertThat(c).isEqualTo(new LockConfig(LockType.AZURE_BLOB, null, "http://127.0.0.1:10000/devstoreaccount1", "?" + SAS,
                "locks", Duration.ofSeconds(20)));
        assertThat(c.toString()).contains("account URL with SAS token", "127.0.0.1:10000").doesNotContain("sig=", "c2lnbmF0dXJl");
    }

    @Test
    void theSasTokenAndTheSqlPasswordAreRegisteredForTheLogMask() throws ConfigException {
        ProviderConfig config = ProviderConfig.from(config(l -> l.put("account_url", URL).put("sas_token", "?" + SAS)));

        assertThat(config.secrets()).contains(SAS, "c2lnbmF0dXJlX19fX18%3D", "Secret123");
    }

    @Test
    void connectionStringStillWorksAndIsNeverShown() throws ConfigException {
        LockConfig c = parsed(l -> l.put("connection_string", "BlobEndpoint=" + URL + ";SharedAccessSignature=" + SAS));

        assertThat(c.connectionString()).endsWith(SAS);
        assertThat(c.accountUrl()).isNull();
        assertThat(c.toString()).contains("connection string").doesNotContain("c2lnbmF0dXJl", "SharedAccessSignature");
    }

    @Test
    void bothOrNeitherIsAProblem() {
        assertThat(problems(l -> l.put("connection_string", "UseDevelopmentStorage=true").put("account_url", URL)))
                .singleElement().asString().contains("give either connection_string or account_url").contains("not both");
        assertThat(problems(l -> {
        })).singleElement().asString().contains("connection_string is required", "account_url with sas_token", "account_url alone");
        assertThat(problems(l -> l.put("sas_token", SAS))).singleElement().asString()
                .contains("connection_string is required").doesNotContain("c2lnbmF0dXJl");
        assertThat(problems(l -> l.put("connection_string", "UseDevelopmentStorage=true").put("sas_token", SAS)))
                .singleElement().asString().contains("sas_token goes with account_url", "SharedAccessSignature=...")
                .doesNotContain("c2lnbmF0dXJl");
    }

    @Test
    void accountUrlMistakesSayWhatToWrite() {
        assertThat(problems(l -> l.put("account_url", URL + "?" + SAS))).singleElement().asString()
                .contains("give a SAS token as sas_token").doesNotContain("c2lnbmF0dXJl");
        assertThat(problems(l -> l.put("account_url", "acme.blob.core.windows.net"))).singleElement().asString()
                .contains("https://<account>.blob.core.windows.net");
        assertThat(problems(l -> l.put("account_url", "http://127.0.0.1:10000/devstoreaccount1"))).singleElement().asString()
                .contains("https:// for Microsoft Entra ID sign-in");
        assertThat(problems(l -> l.put("account_url", URL).put("sas_token", " "))).singleElement().asString()
                .contains("sas_token is required");
    }

    @Test
    void unknownKeysNameTheNewOnes() {
        assertThat(problems(l -> l.put("account_url", URL).put("sas", SAS))).singleElement().asString()
                .contains("unknown key \"sas\"", "account_url, sas_token");
    }
}
