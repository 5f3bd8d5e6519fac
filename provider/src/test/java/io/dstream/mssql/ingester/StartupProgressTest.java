package io.dstream.mssql.ingester;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The startup watchdog's message names the step that did not finish, not always the network. */
class StartupProgressTest {

    private final AtomicLong nanos = new AtomicLong();
    private final StartupProgress progress = new StartupProgress(nanos::get, "db.example.com:1433");

    @Test
    void aServerThatDoesNotAnswerIsBlamedWhileConnecting() {
        nanos.set(14_000_000_000L);

        assertThat(progress.overdue(14_000)).isEqualTo("startup took longer than 14 s: still connecting to SQL Server "
                + "(db.example.com:1433) after 14.0 s in that step: SQL Server does not answer; check host, port and firewall");
    }

    @Test
    void slowCatalogQueriesAreNotBlamedOnTheNetwork() {
        nanos.set(500_000_000L);
        progress.enter(StartupProgress.Step.RESOLVING_TABLES, "1000 table(s)");
        nanos.set(14_000_000_000L);

        String message = progress.overdue(14_000);

        assertThat(message).startsWith("startup took longer than 14 s: still resolving the tables (1000 table(s)) after 13.5 s")
                .contains("SQL Server answered").doesNotContain("firewall");
    }

    @Test
    void theLockServiceIsBlamedOnlyWhenItIsTheSlowStep() {
        progress.enter(StartupProgress.Step.OPENING_LOCK_SERVICE, "lock_config.type azure_blob");

        assertThat(progress.overdue(14_000)).contains("still opening the lock service (lock_config.type azure_blob)")
                .contains("the lock service does not answer");
    }
}
