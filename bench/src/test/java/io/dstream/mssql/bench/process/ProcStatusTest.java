package io.dstream.mssql.bench.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void readsTheKilobytesOfANamedStatusLine() {
        List<String> status = List.of("Name:\tjava", "VmPeak:\t 4000000 kB", "VmHWM:\t  123456 kB", "VmRSS:\t  100000 kB");
        assertThat(ProcStatus.parseKb(status, "VmHWM:")).isEqualTo(OptionalLong.of(123456));
        assertThat(ProcStatus.parseKb(status, "VmSwap:")).isEmpty();
    }

    @Test
    void cpuTicksAreUserPlusSystemCountedFromTheLastParenthesis() {
        String stat = "4242 (java (odd) name) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 30 0 100 0";
        assertThat(ProcStatus.cpuTicks(stat)).isEqualTo(325);
    }

    @Test
    void peakRssOfThisProcessIsPositive() {
        assertThat(ProcStatus.peakRssKb(ProcessHandle.current().pid()).orElse(0)).isPositive();
    }

    @Test
    void gcLogPeaksAreTheLargestBeforeAndAfterFigures() {
        GcLog gc = GcLog.parse(List.of(
                "[0.300s][info][gc] Using G1",
                "[0.512s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 23M->4M(128M) 3.456ms",
                "[0.912s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 61M->9M(128M) 2.001ms",
                "[1.100s][info][gc] GC(2) Pause Young (Normal) (G1 Evacuation Pause) 40M->12M(96M) 1.000ms"));
        assertThat(gc).isEqualTo(new GcLog(3, 61, 12, 128, 6.457, -1));
    }

    @Test
    void gcPauseTimeSumsEveryStopTheWorldPauseButNoConcurrentPhase() {
        GcLog gc = GcLog.parse(List.of(
                "[0.512s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 23M->4M(128M) 3.500ms",
                "[0.700s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation) 90M->80M(128M) 2.250ms",
                "[0.701s][info][gc] GC(2) Concurrent Mark Cycle",
                "[0.800s][info][gc] GC(2) Pause Remark 85M->85M(128M) 1.000ms",
                "[0.810s][info][gc] GC(2) Pause Cleanup 85M->85M(128M) 0.250ms",
                "[0.811s][info][gc] GC(2) Concurrent Mark Cycle 110.000ms",
                "[1.000s][info][gc] GC(3) Pause Full (G1 Compaction Pause) 120M->60M(128M) 40ms"));
        assertThat(gc.pauseMillis()).isCloseTo(47.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theLiveHeapIsWhatTheLastFullCollectionLeft() {
        GcLog gc = GcLog.parse(List.of(
                "[0.512s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 90M->70M(128M) 3.500ms",
                "[0.900s][info][gc] GC(1) Pause Full (System.gc()) 75M->21M(128M) 41.250ms",
                "[1.000s][info][gc] GC(2) Pause Young (Normal) (G1 Evacuation Pause) 60M->30M(128M) 2.000ms"));
        assertThat(gc.liveAfterFullMb()).isEqualTo(21);
        assertThat(gc.peakLiveMb()).as("after any collection: an overstatement").isEqualTo(70);
    }

    @Test
    void clockTicksComeFromGetconfAndFallBackToOneHundred() {
        assertThat(ProcStatus.parseTicks("250\n")).isEqualTo(250);
        assertThat(ProcStatus.parseTicks("undefined\n")).isEqualTo(ProcStatus.DEFAULT_TICKS_PER_SECOND);
        assertThat(ProcStatus.parseTicks("0")).isEqualTo(ProcStatus.DEFAULT_TICKS_PER_SECOND);
    }

    @Test
    void cpuSecondsOfThisProcessGrowAndOfAMissingProcessAreNaN() {
        double before = ProcStatus.cpuSeconds(ProcessHandle.current().pid());
        long sink = 0;
        for (long i = 0; ProcStatus.cpuSeconds(ProcessHandle.current().pid()) <= before; i++) {
            sink += i * i;
        }
        assertThat(sink).isNotNegative();
        assertThat(ProcStatus.cpuSeconds(-1)).isNaN();
    }
}
