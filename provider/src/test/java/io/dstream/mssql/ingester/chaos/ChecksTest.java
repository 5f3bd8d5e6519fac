package io.dstream.mssql.ingester.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.mssql.ingester.chaos.Output.Emission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chaos suite's properties on hand-made output: each holds for what is allowed and fails for what is not. */
class ChecksTest {

    private static final String T = "dbo.t";
    private static final Duration TRUSTED = Duration.ofSeconds(10);

    /** Three transactions on one table; the second changes two rows in one statement. */
    private final List<Workload.Change> committed = List.of(
            new Workload.Change(T, "dbo.t|insert:1", 1, 0, seconds(0)),
            new Workload.Change(T, "dbo.t|update:2", 2, 0, seconds(0)),
            new Workload.Change(T, "dbo.t|update:3", 2, 0, seconds(0)),
            new Workload.Change(T, "dbo.t|delete:4", 3, 0, seconds(1)));
    private final Map<String, List<Emission>> emissions = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Long>>> starts = new LinkedHashMap<>();

    @Test
    void aChangeNobodyWroteIsMissing() {
        write("a", 1, "insert:1", "update:3", "update:2");

        assertThat(checks().nothingMissing(Set.of("dbo.t|insert:1", "dbo.t|update:2", "dbo.t|update:3")))
                .containsExactly("dbo.t|delete:4 (transaction 3) was committed and never written");
        assertThat(checks().nothingMissing(seen())).hasSize(1);
    }

    @Test
    void aRolledBackChangeWrittenIsReported() {
        assertThat(checks().nothingUncommitted(Set.of("dbo.t|insert:1", "dbo.t|insert:9", "dbo.t|insert:8"), Set.of("dbo.t|insert:9")))
                .containsExactly("dbo.t|insert:8 was written and no transaction made it",
                        "dbo.t|insert:9 was written although its transaction rolled back");
    }

    @Test
    void rowsOfOneStatementMayComeInAnyOrderButTransactionsMayNot() {
        start("a", 0);
        write("a", 1, "insert:1", "update:3", "update:2", "delete:4");
        assertThat(checks().orderKeptWithinEachRun()).isEmpty();

        start("b", 0);
        write("b", 1, "insert:1", "delete:4", "update:2");
        assertThat(checks().orderKeptWithinEachRun()).singleElement().asString()
                .contains("wrote dbo.t|update:2 (transaction 2)", "after dbo.t|delete:4 (transaction 3)", "no new start");
    }

    @Test
    void goingBackIsAReplayOnlyWhereTheProcessStartedTheTableAgain() {
        start("a", 0);
        write("a", 1, "insert:1", "update:2", "update:3");
        write("a", 5, "update:2", "update:3", "delete:4");
        assertThat(checks().orderKeptWithinEachRun()).hasSize(1);
        assertThat(checks().duplicatesOnlyReplays(List.of(), TRUSTED)).hasSize(2);

        start("a", 4);
        assertThat(checks().orderKeptWithinEachRun()).isEmpty();
        assertThat(checks().duplicatesOnlyReplays(List.of(), TRUSTED)).isEmpty();
    }

    @Test
    void aDuplicateFromAnotherProcessIsAReplayOnlyIfItsRunBeganAfterTheFirstWriting() {
        start("a", 0);
        write("a", 5, "insert:1", "update:2");
        start("b", 0);
        write("b", 20, "update:2", "update:3");
        assertThat(checks().duplicatesOnlyReplays(List.of(), TRUSTED)).singleElement().asString()
                .contains("dbo.t|update:2 written by a at 5.0s and again by b at 20.0s in a run of the table begun at 0.0s");

        starts.get("b").get(T).set(0, seconds(15));
        assertThat(checks().duplicatesOnlyReplays(List.of(), TRUSTED)).isEmpty();
    }

    @Test
    void aDuplicateFromAnOldHolderIsExcusedOnlyWithinTheTrustedTimeOfALeaseStoreThatLostItsLeases() {
        start("a", 0);
        write("a", 1, "insert:1");
        start("b", 11);
        write("b", 12, "update:2");
        write("a", 13, "update:2");
        assertThat(checks().duplicatesOnlyReplays(List.of(), TRUSTED)).hasSize(1);
        assertThat(checks().duplicatesOnlyReplays(List.of(seconds(10)), TRUSTED)).isEmpty();

        write("b", 30, "update:3");
        write("a", 31, "update:3");
        assertThat(checks().duplicatesOnlyReplays(List.of(seconds(10)), TRUSTED)).singleElement().asString()
                .contains("update:3 written by b at 30.0s and again by a at 31.0s");
    }

    @Test
    void aHandoverIsOneWriterAtATimeAndInterleavingIsNot() {
        start("a", 0);
        write("a", 1, "insert:1");
        write("a", 2, "update:2");
        start("b", 10);
        write("b", 11, "update:3");
        assertThat(checks().oneWriterPerTable(List.of(), TRUSTED)).isEmpty();

        write("a", 13, "delete:4");
        assertThat(checks().oneWriterPerTable(List.of(), TRUSTED)).singleElement().asString()
                .isEqualTo("dbo.t: a wrote it from 0.0s until 13.0s while b wrote it at 11.0s");
    }

    @Test
    void anOverlapIsExcusedOnlyWithinTheTrustedTimeOfALeaseStoreThatLostItsData() {
        start("a", 0);
        write("a", 1, "insert:1");
        start("b", 10);
        write("b", 11, "update:2");
        write("a", 14, "update:3");
        assertThat(checks().oneWriterPerTable(List.of(seconds(10)), TRUSTED)).isEmpty();

        write("a", 25, "delete:4");
        assertThat(checks().oneWriterPerTable(List.of(seconds(10)), TRUSTED)).hasSize(1);
    }

    @Test
    void aChangeFirstWrittenLongAfterItsCommitWasStuck() {
        write("a", 30, "insert:1");
        write("a", 61, "update:2", "update:3");
        write("b", 90, "update:2");
        write("a", 61, "delete:4");

        assertThat(checks().writtenWithin(Duration.ofSeconds(60)))
                .containsExactlyInAnyOrder("dbo.t|update:2 committed at 0.0s was first written at 61.0s by a",
                        "dbo.t|update:3 committed at 0.0s was first written at 61.0s by a");
        assertThat(checks().slowest()).isEqualTo(Duration.ofSeconds(61));
    }

    @Test
    void duplicatesAreCountedOncePerExtraWriting() {
        write("a", 1, "insert:1", "update:2");
        write("b", 2, "insert:1", "update:2");
        write("b", 3, "insert:1");

        assertThat(checks().duplicates()).isEqualTo(3);
    }

    private Checks checks() {
        return new Checks(committed, emissions, starts, 0);
    }

    /** One line by {@code process} at {@code second}, with these changes of table {@link #T}. */
    private void write(String process, int second, String... changes) {
        for (String change : changes) {
            emissions.computeIfAbsent(process, p -> new ArrayList<>())
                    .add(new Emission(process, T, T + "|" + change, seconds(second), seconds(second)));
        }
    }

    /** {@code process} (re)established the table's position at {@code second}. */
    private void start(String process, int second) {
        starts.computeIfAbsent(process, p -> new LinkedHashMap<>()).computeIfAbsent(T, t -> new ArrayList<>()).add(seconds(second));
    }

    private Set<String> seen() {
        Set<String> seen = new java.util.HashSet<>();
        emissions.values().forEach(list -> list.forEach(e -> seen.add(e.key())));
        return seen;
    }

    private static long seconds(int s) {
        return Duration.ofSeconds(s).toNanos();
    }
}
