package io.dstream.mssql.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChangeCounterTest {

    private static final String ENVELOPE = "{\"table_name\":\"dbo.t\",\"changes\":[{\"data\":{\"id\":1}},{\"data\":{\"id\":2}}],"
            + "\"metadata\":{\"batch_size\":%d,\"poll_interval\":\"5s\"}}";

    @Test
    void readsTheBatchSizeOfAnEnvelopeAndZeroForOtherLines() {
        assertThat(ChangeCounter.batchSize(String.format(ENVELOPE, 2))).isEqualTo(2);
        assertThat(ChangeCounter.batchSize(String.format(ENVELOPE, 4711))).isEqualTo(4711);
        assertThat(ChangeCounter.batchSize("{\"status\":\"ready\"}")).isZero();
    }

    @Test
    void signalsOnceTheExpectedCountArrivedAndRemembersWhen() throws InterruptedException {
        ChangeCounter counter = new ChangeCounter(5);
        counter.accept(String.format(ENVELOPE, 3), 100);
        assertThat(counter.await(0, TimeUnit.MILLISECONDS)).isFalse();
        counter.accept("{\"status\":\"something\"}", 150);
        counter.accept(String.format(ENVELOPE, 2), 200);
        counter.accept(String.format(ENVELOPE, 2), 300);
        assertThat(counter.await(0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(counter.reachedAtNanos()).isEqualTo(200);
        assertThat(counter.changes()).isEqualTo(7);
        assertThat(counter.lines()).isEqualTo(3);
        assertThat(counter.chars()).isEqualTo(3L * (String.format(ENVELOPE, 2).length() + 1));
    }

    @Test
    void marksEachThresholdOnceWithTheCountAndCpuOfTheLineThatReachedIt() throws InterruptedException {
        double[] cpu = {1.0};
        ChangeCounter counter = new ChangeCounter(10, () -> cpu[0], 3, 4);
        counter.accept(String.format(ENVELOPE, 2), 100);
        assertThat(counter.at(3)).isEmpty();
        cpu[0] = 2.5;
        counter.accept(String.format(ENVELOPE, 3), 200);
        cpu[0] = 4.0;
        counter.accept(String.format(ENVELOPE, 2), 300);
        cpu[0] = 7.0;
        counter.accept(String.format(ENVELOPE, 6), 400);
        assertThat(counter.at(3)).contains(new ChangeCounter.Mark(5, 200, 2.5));
        assertThat(counter.at(4)).contains(new ChangeCounter.Mark(5, 200, 2.5));
        assertThat(counter.at(10)).contains(new ChangeCounter.Mark(13, 400, 7.0));
        assertThat(counter.await(0, TimeUnit.MILLISECONDS)).isTrue();
        assertThatThrownBy(() -> counter.at(6)).isInstanceOf(IllegalArgumentException.class);
    }
}
