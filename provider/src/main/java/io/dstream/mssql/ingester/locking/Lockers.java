package io.dstream.mssql.ingester.locking;

/** Builds the {@link Locker} that a validated {@link LockConfig} asks for. */
public final class Lockers {

    private Lockers() {
    }

    /**
     * Opens the locker. For {@code azure_blob} this reaches the storage account (creating the
     * container if missing) so that a wrong key or a missing permission fails at startup.
     *
     * @throws LockerException with a message that says what to fix (no secrets)
     */
    public static Locker open(LockConfig config) {
        return switch (config.type()) {
            case NONE -> new NoLocker();
            case AZURE_BLOB -> AzureBlobLocker.open(config);
        };
    }
}
