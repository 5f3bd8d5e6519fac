package io.dstream.mssql.ingester.locking;

import java.util.Optional;

/** {@code lock_config.type = none}: a single instance, which always owns every table. */
public final class NoLocker implements Locker {

    @Override
    public Optional<Lease> tryAcquire(LockKey key) {
        return Optional.of(new Lease() {
            private volatile boolean released;

            @Override
            public LockKey key() {
                return key;
            }

            @Override
            public boolean isValid() {
                return !released;
            }

            @Override
            public void release() {
                released = true;
            }
        });
    }

    @Override
    public String describe() {
        return "none (single instance: no other instance may stream these tables)";
    }

    @Override
    public void close() {
        // nothing is held outside this process
    }
}
