package io.dstream.mssql.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {

    @Test
    void theMarginalCostStartsAtTheHundredThousandthChangeOrAtATenthOfASmallerBacklog() {
        assertThat(BenchSettings.full(Duration.ZERO).marginalFrom()).isEqualTo(100_000);
        assertThat(BenchSettings.full(Duration.ZERO).withDrainChanges(5_000_000).marginalFrom()).isEqualTo(100_000);
        assertThat(BenchSettings.full(Duration.ZERO).withDrainChanges(200_000).marginalFrom()).isEqualTo(20_000);
        assertThat(BenchSettings.quick(Duration.ZERO).marginalFrom()).isEqualTo(5_000);
    }

    @Test
    void onlyQuickModeWarmsTheProviderUp() {
        assertThat(BenchSettings.full(Duration.ZERO).drainWarmup()).isZero();
        assertThat(BenchSettings.quick(Duration.ZERO).drainWarmup()).isEqualTo(50_000);
    }
}
