package io.dstream.mssql.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfOneToHundredIsTheRankItself() {
        long[] sample = new long[100];
        for (int i = 0; i < 100; i++) {
            sample[99 - i] = i + 1;
        }
        Percentiles p = Percentiles.of(sample);
        assertThat(p.percentile(50)).isEqualTo(50);
        assertThat(p.percentile(99)).isEqualTo(99);
        assertThat(p.percentile(100)).isEqualTo(100);
        assertThat(p.min()).isEqualTo(1);
        assertThat(p.max()).isEqualTo(100);
        assertThat(p.count()).isEqualTo(100);
    }

    @Test
    void smallSampleP99IsItsLargestValueNotAnInterpolation() {
        Percentiles p = Percentiles.of(new long[] {30, 10, 20});
        assertThat(p.percentile(50)).isEqualTo(20);
        assertThat(p.percentile(99)).isEqualTo(30);
        assertThat(p.percentile(1)).isEqualTo(10);
    }

    @Test
    void doesNotReorderTheCallersArray() {
        long[] sample = {3, 1, 2};
        Percentiles.of(sample);
        assertThat(sample).containsExactly(3, 1, 2);
    }

    @Test
    void rejectsAnEmptySampleAndPercentilesOutOfRange() {
        assertThatThrownBy(() -> Percentiles.of(new long[0])).hasMessageContaining("empty");
        Percentiles p = Percentiles.of(new long[] {1});
        assertThatThrownBy(() -> p.percentile(0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> p.percentile(101)).hasMessageContaining("(0, 100]");
    }
}
