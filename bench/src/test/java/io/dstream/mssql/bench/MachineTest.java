package io.dstream.mssql.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineTest {

    @Test
    void memTotalInKilobytesIsShownInGibibytes() {
        assertThat(Machine.gib("24684084 kB")).isEqualTo("23.5 GiB");
        assertThat(Machine.gib("unknown")).isEqualTo("unknown");
    }
}
