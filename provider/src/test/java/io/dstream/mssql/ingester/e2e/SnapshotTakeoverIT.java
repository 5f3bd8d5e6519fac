package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.locking.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances share a table through Azure Blob leases (Azurite) while it is snapshotted and written
 * to; the holder is killed with {@code kill -9} in the middle of the snapshot. The other instance takes
 * the table over once the lease ends, goes on with the chunk after the last one saved (not from the
 * start), and the consumer applying both instances' lines ends with exactly the table's rows.
 */
class SnapshotTakeoverIT extends EmulatorTestBase {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration TAKEOVER = Duration.ofSeconds(90);

    @Test
    void theOtherInstanceGoesOnWhereTheKilledOneStopped() throws Exception {
        Replica.fill(db, "dbo.sn_lease", 60_000);
        db.enableCdc("dbo", "sn_lease");
        ObjectNode config = config("dbo.sn_lease").put("snapshot_mode", "initial").put("snapshot_chunk_rows", 100);
        AZURITE.putLockConfig(config, AzuriteExtension.uniqueContainer(), LEASE);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread workload = new Thread(() -> Replica.randomWrites(db, "dbo.sn_lease", 60_000, writing, new Random(3)), "workload");
        try {
            ProviderProcess a = run(config);
            ProviderProcess b = run(config);
            workload.start();
            ProviderProcess holder = await().atMost(STREAM).until(() -> snapshotRows(a) > 0 ? a : snapshotRows(b) > 0 ? b : null,
                    p -> p != null);
            ProviderProcess other = holder == a ? b : a;
            await().atMost(TAKEOVER).until(() -> snapshotRows(holder) >= 1000);
            holder.kill9();
            List<String> lines = new ArrayList<>(holder.stdout());

            String resumed = other.awaitStderr(l -> l.contains("dbo.sn_lease: resuming after checkpoint"), TAKEOVER);
            assertThat(resumed).as("the snapshot goes on from the saved chunk").contains("snapshot running (").doesNotContain("(0 rows");
            other.awaitStderr(l -> l.contains("dbo.sn_lease: snapshot done"), TAKEOVER);
            writing.set(false);
            workload.join();
            awaitCaptured();
            Map<Object, Integer> table = Replica.rows(db, "dbo.sn_lease", "id");
            await().atMost(STREAM).until(() -> {
                List<String> all = new ArrayList<>(lines);
                all.addAll(other.stdout());
                return Replica.applied(all, "dbo.sn_lease", "id").equals(table);
            });
        } finally {
            writing.set(false);
            workload.join();
        }
    }

    private static long snapshotRows(ProviderProcess p) {
        return Changes.envelopeChanges(p.stdout(), "dbo.sn_lease").stream()
                .map(c -> c.path("change_type").asText()).filter("snapshot"::equals).count();
    }
}
