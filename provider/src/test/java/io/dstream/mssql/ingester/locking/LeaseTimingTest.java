package io.dstream.mssql.ingester.locking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseTimingTest {

    @Test
    void defaultThirtySecondsIsTrustedTwentyAndRenewedEveryTen() {
        LeaseTiming timing = LeaseTiming.of(Duration.ofSeconds(30));

        assertThat(timing.trusted()).isEqualTo(Duration.ofSeconds(20));
        assertThat(timing.renewEvery()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theMarginIsAtLeastFiveSeconds() {
        LeaseTiming timing = LeaseTiming.of(Duration.ofSeconds(15));

        assertThat(timing.safetyMargin()).isEqualTo(Duration.ofSeconds(5));
        assertThat(timing.renewEvery()).isLessThan(timing.trusted());
    }

    @Test
    void durationsOutsideAzuresFifteenToSixtySecondsAreRefused() {
        assertThatThrownBy(() -> LeaseTiming.of(Duration.ofSeconds(14)))
                .isInstanceOf(LockerException.class).hasMessageContaining("between 15s and 60s");
        assertThatThrownBy(() -> LeaseTiming.of(Duration.ofSeconds(61))).isInstanceOf(LockerException.class);
    }
}
