package io.dstream.mssql.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaxLsnTrailTest {

    private static byte[] lsn(int block, int slot) {
        byte[] b = new byte[10];
        b[7] = (byte) block;
        b[9] = (byte) slot;
        return b;
    }

    @Test
    void aCommitIsReachedAtTheFirstSampleAtOrAboveIt() {
        MaxLsnTrail trail = new MaxLsnTrail();
        trail.sample(lsn(1, 5), 100);
        trail.sample(lsn(1, 5), 110); // unchanged maximum: the first sighting counts
        trail.sample(lsn(2, 1), 200);
        trail.sample(lsn(3, 0xF0), 300); // 0xF0 compares unsigned, above 0x10
        assertThat(trail.samples()).isEqualTo(3);
        assertThat(trail.polls()).isEqualTo(4);
        assertThat(trail.reachedAt(lsn(1, 5))).isEqualTo(100);
        assertThat(trail.reachedAt(lsn(1, 9))).isEqualTo(200);
        assertThat(trail.reachedAt(lsn(3, 0x10))).isEqualTo(300);
        assertThat(trail.reachedAt(lsn(0, 1))).isEqualTo(100);
    }

    @Test
    void aCommitAboveEverySampleWasNeverReached() {
        MaxLsnTrail trail = new MaxLsnTrail();
        assertThat(trail.reachedAt(lsn(1, 1))).isEqualTo(-1);
        trail.sample(null, 50); // no change captured yet: fn_cdc_get_max_lsn() is NULL
        trail.sample(lsn(1, 1), 100);
        assertThat(trail.reachedAt(lsn(1, 2))).isEqualTo(-1);
    }

    @Test
    void growsPastItsInitialCapacity() {
        MaxLsnTrail trail = new MaxLsnTrail();
        for (int i = 1; i <= 3000; i++) {
            trail.sample(lsn(i / 200, i % 200), i);
        }
        assertThat(trail.samples()).isEqualTo(3000);
        assertThat(trail.reachedAt(lsn(2999 / 200, 2999 % 200))).isEqualTo(2999);
    }
}
