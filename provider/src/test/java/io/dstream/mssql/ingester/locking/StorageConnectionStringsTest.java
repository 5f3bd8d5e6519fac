package io.dstream.mssql.ingester.locking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StorageConnectionStringsTest {

    @Test
    void settingNamesAreMatchedWithoutCaseAndBlanksQuotesAndEmptySettingsAreDropped() {
        assertThat(StorageConnectionStrings.normalize(
                "\" defaultendpointsprotocol = https ; ACCOUNTNAME=acme;accountKey=c2VjcmV0S2V5VmFsdWU=;;endpointsuffix=core.windows.net; \""))
                .isEqualTo("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=c2VjcmV0S2V5VmFsdWU=;EndpointSuffix=core.windows.net");
    }

    @Test
    void sasValuesKeepTheirEqualSignsAndAmpersands() {
        assertThat(StorageConnectionStrings.normalize("blobendpoint=https://acme.blob.core.windows.net;sharedaccesssignature=sv=2022-11-02&sig=a%3D"))
                .isEqualTo("BlobEndpoint=https://acme.blob.core.windows.net;SharedAccessSignature=sv=2022-11-02&sig=a%3D");
    }

    @Test
    void anAccountKeyThatIsNotBase64IsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> StorageConnectionStrings.normalize("AccountName=acme;AccountKey=not a key!"))
                .isInstanceOf(LockerException.class)
                .hasMessageContaining("AccountKey is not a base64 storage account key")
                .hasMessageNotContaining("not a key!");
    }

    @Test
    void aSettingWithoutValueIsNamed() {
        assertThatThrownBy(() -> StorageConnectionStrings.normalize("AccountName=acme;oops"))
                .isInstanceOf(LockerException.class)
                .hasMessageContaining("\"oops\" is not a name=value setting");
    }
}
