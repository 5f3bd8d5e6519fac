package io.dstream.mssql.ingester.locking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockersTest {

    @Test
    void noneOwnsEveryTableAndReportsNoLock() {
        try (Locker locker = Lockers.open(LockConfig.none())) {
            LockKey key = new LockKey("s", "d", "dbo", "t");
            assertThat(locker.tryAcquire(key)).get().matches(Lease::isValid);
            assertThat(locker.lockStatus(key)).isEqualTo("none");
        }
    }

    @Test
    void azureBlobChecksItsSettingsBeforeReachingTheService() {
        String cs = "UseDevelopmentStorage=true";
        assertThatThrownBy(() -> Lockers.open(new LockConfig(LockType.AZURE_BLOB, cs, "Locks_1", Duration.ofSeconds(30))))
                .isInstanceOf(LockerException.class).hasMessageContaining("container_name \"Locks_1\" is not a valid");
        assertThatThrownBy(() -> Lockers.open(new LockConfig(LockType.AZURE_BLOB, " ", "locks", Duration.ofSeconds(30))))
                .isInstanceOf(LockerException.class).hasMessageContaining("connection_string is required");
        assertThatThrownBy(() -> Lockers.open(new LockConfig(LockType.AZURE_BLOB, cs, "locks", Duration.ofSeconds(90))))
                .isInstanceOf(LockerException.class).hasMessageContaining("between 15s and 60s");
    }
}
