package io.dstream.mssql.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyProbeTest {

    private static String envelope(int... ids) {
        StringBuilder changes = new StringBuilder();
        for (int id : ids) {
            changes.append(changes.length() == 0 ? "" : ",")
                    .append("{\"change_type\":\"insert\",\"data\":{\"id\":").append(id).append(",\"payload\":\"p\"}}");
        }
        return "{\"table_name\":\"dbo.bench_latency\",\"changes\":[" + changes + "],\"metadata\":{\"batch_size\":"
                + ids.length + "}}";
    }

    @Test
    void latencyIsFirstArrivalMinusCommitPerRow() {
        LatencyProbe probe = new LatencyProbe(3);
        probe.committed(1, 1_000);
        probe.committed(2, 2_000);
        probe.committed(3, 3_000);
        probe.accept(envelope(1, 2), 5_000);
        probe.accept(envelope(2), 9_000);
        assertThat(probe.arrived(3)).isEqualTo(2);
        assertThat(probe.latencies(1, 3)).containsExactly(4_000, 3_000);
        assertThat(probe.latencies(2, 3)).containsExactly(3_000);
    }

    @Test
    void ignoresLinesThatAreNotEnvelopesAndIdsOutOfRange() {
        LatencyProbe probe = new LatencyProbe(2);
        probe.accept("{\"status\":\"ready\"}", 1);
        probe.accept(envelope(7), 1);
        assertThat(probe.arrived(2)).isZero();
    }
}
