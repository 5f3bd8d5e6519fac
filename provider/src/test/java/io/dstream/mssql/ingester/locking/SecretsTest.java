package io.dstream.mssql.ingester.locking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void accountKeyIsMaskedInTheStringAndWhereverItsValueAppears() {
        String cs = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=c2VjcmV0S2V5VmFsdWU=;EndpointSuffix=core.windows.net";
        Secrets secrets = new Secrets(cs);

        assertThat(secrets.redact(cs)).isEqualTo(
                "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=***;EndpointSuffix=core.windows.net");
        assertThat(secrets.redact("signing with c2VjcmV0S2V5VmFsdWU= failed")).isEqualTo("signing with *** failed");
    }

    @Test
    void sasSignatureIsMaskedInConnectionStringsAndUrls() {
        String cs = "BlobEndpoint=https://acme.blob.core.windows.net;SharedAccessSignature=sv=2022-11-02&ss=b&sig=abc%2Bdef%3D";
        Secrets secrets = new Secrets(cs);

        assertThat(secrets.redact(cs)).isEqualTo("BlobEndpoint=https://acme.blob.core.windows.net;SharedAccessSignature=***");
        assertThat(secrets.redact("GET https://acme.blob.core.windows.net/locks?sv=2022-11-02&sig=abc%2Bdef%3D"))
                .isEqualTo("GET https://acme.blob.core.windows.net/locks?sv=2022-11-02&sig=***");
    }
}
