package io.dstream.mssql.ingester.locking;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.storage.blob.models.BlobStorageException;
import io.dstream.mssql.ingester.locking.LeaseStore.LeaseStoreException;
import io.dstream.mssql.ingester.locking.LeaseStore.LeaseStoreException.Kind;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** How {@link AzureLeaseStore} reads the service's answers: which kind of failure, and a message that blames the right thing. */
class AzureLeaseStoreTest {

    private static final String KEY = "c2VjcmV0S2V5VmFsdWVfX19fX19fX19fX19fX19fX19fX19fX19fX19fX19fX19fX18=";
    private final AzureLeaseStore store = AzureLeaseStore.connect(
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + KEY + ";EndpointSuffix=core.windows.net", "locks");

    @Test
    void onlyAuthenticationErrorsBlameTheKeyOrToken() {
        for (String code : new String[] {"AuthenticationFailed", "InvalidAuthenticationInfo", "NoAuthenticationInformation"}) {
            assertThat(explain(403, code)).satisfies(e -> {
                assertThat(e.kind()).isEqualTo(Kind.REFUSED);
                assertThat(e.getMessage()).contains("refused the credentials", "AccountKey", code);
            });
        }
        for (String code : new String[] {"AuthorizationPermissionMismatch",
                "AuthorizationResourceTypeMismatch", "AuthorizationServiceMismatch", "AuthorizationSourceIPMismatch",
                "AuthorizationProtocolMismatch"}) {
            assertThat(explain(403, code)).satisfies(e -> {
                assertThat(e.kind()).as(code).isEqualTo(Kind.REFUSED);
                assertThat(e.getMessage()).as(code).contains(code, "container locks at https://acme.blob.core.windows.net")
                        .doesNotContain("refused the credentials", "AccountKey", KEY);
            });
        }
        // Azure's answer for a firewall rule, Azurite's for a wrong key too: neither cause is asserted
        assertThat(explain(403, "AuthorizationFailure").getMessage()).contains("firewall", "AccountKey")
                .doesNotContain("refused the credentials");
        assertThat(explain(403, "AuthorizationPermissionMismatch").getMessage()).contains("read, add, create, write, delete and list");
        assertThat(explain(403, "AuthorizationResourceTypeMismatch").getMessage()).contains("srt=co");
        assertThat(explain(403, "AuthorizationSourceIPMismatch").getMessage()).contains("IP");
    }

    @Test
    void aMissingContainerOrBlobIsNotAPermissionProblem() {
        LeaseStoreException container = explain(404, "ContainerNotFound");
        assertThat(container.kind()).isEqualTo(Kind.CONTAINER_MISSING);
        assertThat(container.getMessage()).contains("container locks", "does not exist").doesNotContain("credentials");
        assertThat(explain(409, "ContainerBeingDeleted").kind()).isEqualTo(Kind.CONTAINER_MISSING);
        assertThat(explain(404, "BlobNotFound").kind()).isEqualTo(Kind.BLOB_MISSING);
    }

    @Test
    void serverErrorsAndNetworkFailuresAreTransient() {
        assertThat(explain(503, "ServerBusy").kind()).isEqualTo(Kind.UNAVAILABLE);
        LeaseStoreException network = store.failure(new RuntimeException(new ConnectException("Connection refused")));
        assertThat(network.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(network.getMessage()).contains("cannot reach", "Connection refused");
    }

    private LeaseStoreException explain(int status, String code) {
        return store.failure(new BlobStorageException("Status code " + status + ", " + code, new Answer(status, code), null));
    }

    /** The parts of an HTTP answer that a {@link BlobStorageException} reads: the status and the x-ms-error-code header. */
    static final class Answer extends HttpResponse {
        private final int status;
        private final HttpHeaders headers = new HttpHeaders();

        Answer(int status, String code) {
            super(new HttpRequest(HttpMethod.PUT, "https://acme.blob.core.windows.net/locks"));
            this.status = status;
            headers.set("x-ms-error-code", code);
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.empty();
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.empty();
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.empty();
        }
    }
}
