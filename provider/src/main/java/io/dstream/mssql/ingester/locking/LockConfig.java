package io.dstream.mssql.ingester.locking;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The validated {@code lock_config} of the provider's configuration.
 *
 * @param type             {@code none} or {@code azure_blob}
 * @param connectionString the Azure Storage connection string ({@code azure_blob} only; a secret: never log it)
 * @param containerName    the blob container holding one lock blob per table ({@code azure_blob} only)
 * @param leaseDuration    how long a lease lasts without renewal, 15–60 s ({@code azure_blob} only)
 */
public record LockConfig(LockType type, String connectionString, String containerName, Duration leaseDuration) {

    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);

    public LockConfig {
        Objects.requireNonNull(type, "type");
    }

    public static LockConfig none() {
        return new LockConfig(LockType.NONE, null, null, DEFAULT_LEASE_DURATION);
    }

    /** The secret values of this config (account key, SAS token), for the log mask. */
    public List<String> secretValues() {
        return new Secrets(connectionString).values();
    }

    @Override
    public String toString() {
        return "LockConfig[type=" + type + ", containerName=" + containerName + ", leaseDuration=" + leaseDuration + "]";
    }
}
