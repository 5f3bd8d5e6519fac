package io.dstream.mssql.ingester.locking;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.policy.AzureSasCredentialPolicy;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.identity.CredentialUnavailableException;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.identity.DefaultAzureCredential;
import io.dstream.mssql.ingester.locking.LeaseStore.LeaseStoreException;
import io.dstream.mssql.ingester.locking.LeaseStore.LeaseStoreException.Kind;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The account-URL forms of {@code lock_config}: which credential the client signs requests with, and what a refusal says. */
class AzureLeaseStoreAuthTest {

    private static final String URL = "https://acme.blob.core.windows.net";
    private static final String SIG = "c2lnbmF0dXJlX19fX18%3D";
    private static final String SAS = "sv=2022-11-02&ss=b&srt=co&sp=racwdl&se=2030-01-01T00:00:00Z&sig=" + SIG;

    private static AzureLeaseStore store(String sasToken) {
        return AzureLeaseStore.connect(new LockConfig(LockType.AZURE_BLOB, null, URL, sasToken, "locks", Duration.ofSeconds(30)));
    }

    @Test
    void anAccountUrlAloneSignsRequestsWithADefaultAzureCredential() throws Exception {
        AzureLeaseStore store = store(null);

        BearerTokenAuthenticationPolicy bearer = policy(store.pipeline(), BearerTokenAuthenticationPolicy.class);
        assertThat(credentialOf(bearer)).isInstanceOf(DefaultAzureCredential.class);
        assertThat(policies(store.pipeline())).noneMatch(AzureSasCredentialPolicy.class::isInstance);
        assertThat(store.describe()).contains("account=acme", "auth=entra");
    }

    @Test
    void anAccountUrlWithASasTokenSignsWithTheToken() {
        for (String token : new String[] {SAS, "?" + SAS}) {
            AzureLeaseStore store = store(token);

            assertThat(policy(store.pipeline(), AzureSasCredentialPolicy.class)).isNotNull();
            assertThat(policies(store.pipeline())).noneMatch(BearerTokenAuthenticationPolicy.class::isInstance);
            assertThat(store.describe()).contains("auth=sas_token").doesNotContain(SIG);
        }
    }

    @Test
    void noIdentityToSignInWithIsARefusalSayingWhatToSetUp() {
        LeaseStoreException e = store(null).failure(new CredentialUnavailableException(
                "DefaultAzureCredential failed to retrieve a token from the included credentials.\nEnvironmentCredential ..."));

        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e.getMessage()).contains("no Microsoft Entra identity could sign in", "container locks at " + URL,
                "AZURE_CLIENT_SECRET", "managed identity", "az login", "Storage Blob Data Contributor")
                .doesNotContain("EnvironmentCredential ...");
        assertThat(store(null).failure(new ClientAuthenticationException("token refused", null)).kind()).isEqualTo(Kind.REFUSED);
    }

    @Test
    void refusalsBlameTheRightCredential() {
        AzureLeaseStore entra = store(null);
        assertThat(explain(entra, 403, "AuthorizationPermissionMismatch").getMessage())
                .contains("Microsoft Entra identity", "lacks a data role", "Storage Blob Data Contributor");
        assertThat(explain(entra, 403, "AuthenticationFailed").getMessage()).contains("refused the Microsoft Entra identity")
                .doesNotContain("AccountKey");

        AzureLeaseStore sas = store(SAS);
        assertThat(explain(sas, 403, "AuthenticationFailed").getMessage()).contains("lock_config.sas_token")
                .doesNotContain("AccountKey", "connection_string", SIG);
        assertThat(explain(sas, 403, "AuthorizationResourceTypeMismatch").getMessage()).contains("lock_config.sas_token", "srt=co");
    }

    @Test
    void theSasTokenIsMaskedWhereverItAppears() {
        Secrets secrets = new Secrets(null, "?" + SAS);

        assertThat(secrets.redact("GET " + URL + "/locks?restype=container&" + SAS + " failed")).doesNotContain(SIG, SAS)
                .contains("***");
        assertThat(secrets.redact("signature " + SIG)).isEqualTo("signature ***");
    }

    private static LeaseStoreException explain(AzureLeaseStore store, int status, String code) {
        return store.failure(new BlobStorageException("Status code " + status + ", " + code,
                new AzureLeaseStoreTest.Answer(status, code), null));
    }

    private static List<HttpPipelinePolicy> policies(HttpPipeline pipeline) {
        List<HttpPipelinePolicy> all = new ArrayList<>();
        for (int i = 0; i < pipeline.getPolicyCount(); i++) {
            all.add(pipeline.getPolicy(i));
        }
        return all;
    }

    private static <T extends HttpPipelinePolicy> T policy(HttpPipeline pipeline, Class<T> type) {
        return policies(pipeline).stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + policies(pipeline)));
    }

    /** The SDK keeps the credential private (in the policy or its token cache); reading it is the only way to see which one it uses. */
    private static TokenCredential credentialOf(Object holder) throws Exception {
        return findCredential(holder, 2);
    }

    private static TokenCredential findCredential(Object holder, int depth) throws Exception {
        for (Class<?> c = holder.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                f.setAccessible(true);
                Object value = f.get(holder);
                if (value instanceof TokenCredential credential) {
                    return credential;
                }
                if (value != null && depth > 0 && value.getClass().getName().startsWith("com.azure.")) {
                    TokenCredential inner = findCredential(value, depth - 1);
                    if (inner != null) {
                        return inner;
                    }
                }
            }
        }
        if (depth == 2) {
            throw new AssertionError("no TokenCredential in " + holder.getClass());
        }
        return null;
    }
}
