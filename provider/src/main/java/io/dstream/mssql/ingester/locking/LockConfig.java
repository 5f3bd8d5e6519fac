package io.dstream.mssql.ingester.locking;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The validated {@code lock_config} of the provider's configuration. For {@code azure_blob} the
 * storage account is given one way: a connection string (account key or SAS inside), or an account
 * URL with a SAS token, or an account URL alone (Microsoft Entra sign-in through the Azure SDK's
 * {@code DefaultAzureCredential}).
 *
 * @param type             {@code none} or {@code azure_blob}
 * @param connectionString the Azure Storage connection string (a secret: never log it), or null
 * @param accountUrl       the blob service URL, e.g. {@code https://acct.blob.core.windows.net}, when no connection string is given
 * @param sasToken         a SAS token for {@code accountUrl} (a secret: never log it), or null for Entra sign-in
 * @param containerName    the blob container holding one lock blob per table ({@code azure_blob} only)
 * @param leaseDuration    how long a lease lasts without renewal, 15–60 s ({@code azure_blob} only)
 */
public record LockConfig(LockType type, String connectionString, String accountUrl, String sasToken, String containerName,
                         Duration leaseDuration) {

    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);

    public LockConfig {
        Objects.requireNonNull(type, "type");
    }

    /** An {@code azure_blob} config with a connection string. */
    public LockConfig(LockType type, String connectionString, String containerName, Duration leaseDuration) {
        this(type, connectionString, null, null, containerName, leaseDuration);
    }

    public static LockConfig none() {
        return new LockConfig(LockType.NONE, null, null, DEFAULT_LEASE_DURATION);
    }

    /** The secret values of this config (account key, SAS token), for the log mask. */
    public List<String> secretValues() {
        return new Secrets(connectionString, sasToken).values();
    }

    /** How the storage account is signed in to, for logs: never a secret. */
    public String credentialKind() {
        if (connectionString != null) {
            return "connection string";
        }
        if (accountUrl == null) {
            return "none";
        }
        return sasToken != null ? "account URL with SAS token" : "account URL with Microsoft Entra ID (DefaultAzureCredential)";
    }

    @Override
    public String toString() {
        return "LockConfig[type=" + type + (type == LockType.NONE ? "" : ", credentials=" + credentialKind()
                + (accountUrl != null ? ", accountUrl=" + accountUrl : "") + ", containerName=" + containerName)
                + ", leaseDuration=" + leaseDuration + "]";
    }
}
