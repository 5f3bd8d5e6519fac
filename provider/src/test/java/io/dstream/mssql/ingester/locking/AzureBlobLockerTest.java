package io.dstream.mssql.ingester.locking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dstream.mssql.ingester.locking.LeaseStore.LeaseStoreException;
import io.dstream.mssql.ingester.locking.LeaseStore.LeaseStoreException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Lease timing, fencing and hand-over of {@link AzureBlobLocker}, on a fake clock and an in-memory lease store. */
class AzureBlobLockerTest {

    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final LockKey ORDERS = new LockKey("sql1", "sales", "dbo", "orders");
    private static final LockKey LINES = new LockKey("sql1", "sales", "dbo", "lines");

    private final FakeClock clock = new FakeClock();
    private final InMemoryLeaseStore store = new InMemoryLeaseStore(clock);
    private final LeaseTiming timing = LeaseTiming.of(LEASE);
    private final Map<AzureBlobLocker, Map<LockKey, Lease>> seen = new HashMap<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger lockerLog = (Logger) LoggerFactory.getLogger(AzureBlobLocker.class);

    AzureBlobLockerTest() throws LeaseStoreException {
        store.createContainer();
        logs.start();
        lockerLog.addAppender(logs);
    }

    @AfterEach
    void detachLogs() {
        lockerLog.detachAppender(logs);
    }

    private AzureBlobLocker locker(String id) {
        AzureBlobLocker locker = new AzureBlobLocker(store, clock, timing, id, "test " + id);
        locker.register();
        return locker;
    }

    @Test
    void aHeldTableIsNotTakenBySecondInstanceAndIsConfirmedToItsHolder() {
        AzureBlobLocker a = locker("a");
        AzureBlobLocker b = locker("b");

        Lease lease = a.tryAcquire(ORDERS).orElseThrow();

        assertThat(lease.isValid()).isTrue();
        assertThat(b.tryAcquire(ORDERS)).isEmpty();
        assertThat(a.tryAcquire(ORDERS)).containsSame(lease);
        assertThat(b.lockStatus(ORDERS)).isEqualTo("held by a");
        assertThat(b.lockStatus(LINES)).isEqualTo("free");
    }

    @Test
    void renewalEveryThirdOfTheDurationKeepsTheLeaseValid() {
        AzureBlobLocker a = locker("a");
        Lease lease = a.tryAcquire(ORDERS).orElseThrow();

        for (int i = 0; i < 20; i++) {
            clock.advance(timing.renewEvery());
            a.renewCycle();
            assertThat(lease.isValid()).as("after %d renewals", i + 1).isTrue();
        }
        assertThat(locker("b").tryAcquire(ORDERS)).isEmpty();
    }

    @Test
    void withoutRenewalTheLeaseIsTrustedOnlyDurationMinusMargin() {
        AzureBlobLocker a = locker("a");
        Lease lease = a.tryAcquire(ORDERS).orElseThrow();

        clock.advance(timing.trusted().minusMillis(1));
        assertThat(lease.isValid()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(lease.isValid()).isFalse();
        // the service still holds it for the margin: nobody else can write yet
        assertThat(locker("b").tryAcquire(ORDERS)).isEmpty();
    }

    @Test
    void validityCountsFromWhenTheRenewalWasSentNotAnswered() {
        AzureBlobLocker a = locker("a");
        Lease lease = a.tryAcquire(ORDERS).orElseThrow();
        store.latency = Duration.ofSeconds(3);

        clock.advance(timing.renewEvery());          // renewal sent at t = 5 s, answered at t = 8 s
        a.renewCycle();
        store.latency = Duration.ZERO;

        long sinceSent = 3_000 + 6_000;              // heartbeat calls of the cycle took 2 x 3 s more
        clock.advance(timing.trusted().minusMillis(sinceSent + 1));
        assertThat(lease.isValid()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(lease.isValid()).as("trusted time counts from the send time of the renewal").isFalse();
    }

    @Test
    void aFailedRenewalEndsTheLeaseAtOnce() {
        AzureBlobLocker a = locker("a");
        Lease lease = a.tryAcquire(ORDERS).orElseThrow();

        store.down = true;
        a.renewCycle();

        assertThat(lease.isValid()).isFalse();
    }

    @Test
    void aLeaseTakenByAnotherInstanceAfterExpiryIsRefusedOnRenewalAndNeverValidAgain() {
        AzureBlobLocker a = locker("a");
        AzureBlobLocker b = locker("b");
        Lease old = a.tryAcquire(ORDERS).orElseThrow();

        clock.advance(LEASE);                        // a stopped renewing (e.g. a long GC pause)
        Lease taken = b.tryAcquire(ORDERS).orElseThrow();
        a.renewCycle();

        assertThat(old.isValid()).isFalse();
        assertThat(taken.isValid()).isTrue();
        assertThat(a.tryAcquire(ORDERS)).isEmpty();
    }

    @Test
    void aFrozenProcessWakesUpWithAnInvalidLeaseAndGetsANewTenureOnlyThroughTryAcquire() {
        AzureBlobLocker a = locker("a");
        Lease frozen = a.tryAcquire(ORDERS).orElseThrow();

        clock.advance(Duration.ofSeconds(40));       // SIGSTOP, nobody took the table meanwhile
        a.renewCycle();                              // the renewal thread runs first after SIGCONT

        assertThat(frozen.isValid()).isFalse();
        Lease again = a.tryAcquire(ORDERS).orElseThrow();
        assertThat(again).isNotSameAs(frozen);
        assertThat(again.isValid()).isTrue();
        assertThat(frozen.isValid()).isFalse();
    }

    @Test
    void aSuspendedMachineWhoseMonotonicClockStoodStillStillSeesTheLeaseExpired() {
        AzureBlobLocker a = locker("a");
        Lease lease = a.tryAcquire(ORDERS).orElseThrow();

        clock.advanceWallOnly(Duration.ofMinutes(5));

        assertThat(lease.isValid()).isFalse();
    }

    @Test
    void aWallClockSetBackDoesNotExtendTheLease() {
        AzureBlobLocker a = locker("a");
        Lease lease = a.tryAcquire(ORDERS).orElseThrow();

        clock.setWallBack(Duration.ofMinutes(5));
        clock.advance(timing.trusted());

        assertThat(lease.isValid()).isFalse();
    }

    @Test
    void releaseLetsAnotherInstanceTakeTheTableAtOnce() {
        AzureBlobLocker a = locker("a");
        AzureBlobLocker b = locker("b");
        Lease lease = a.tryAcquire(ORDERS).orElseThrow();

        lease.release();

        assertThat(lease.isValid()).isFalse();
        assertThat(b.tryAcquire(ORDERS)).isPresent();
    }

    @Test
    void releasingAnOldTenureDoesNotReleaseTheCurrentOne() {
        AzureBlobLocker a = locker("a");
        Lease old = a.tryAcquire(ORDERS).orElseThrow();
        store.down = true;
        a.renewCycle();
        store.down = false;
        clock.advance(Duration.ofSeconds(2));
        Lease current = a.tryAcquire(ORDERS).orElseThrow();

        old.release();

        assertThat(current.isValid()).isTrue();
        assertThat(locker("b").tryAcquire(ORDERS)).isEmpty();
    }

    @Test
    void closeReleasesEveryTableAndTheHeartbeat() {
        AzureBlobLocker a = locker("a");
        Lease orders = a.tryAcquire(ORDERS).orElseThrow();
        Lease lines = a.tryAcquire(LINES).orElseThrow();

        a.close();

        assertThat(orders.isValid()).isFalse();
        assertThat(lines.isValid()).isFalse();
        AzureBlobLocker b = locker("b");
        assertThat(b.tryAcquire(ORDERS)).isPresent();
        assertThat(b.tryAcquire(LINES)).isPresent();
        assertThat(store.holderLeaseId(LockBlobNames.instance("a"))).isNull();
        assertThat(a.tryAcquire(ORDERS)).isEmpty();
    }

    @Test
    void anOutageEndsEveryLeaseWithoutCrashingAndTheTablesAreTakenAgainAfterIt() {
        AzureBlobLocker a = locker("a");
        Lease orders = a.tryAcquire(ORDERS).orElseThrow();
        Lease lines = a.tryAcquire(LINES).orElseThrow();

        store.down = true;
        int before = store.calls;
        a.renewCycle();
        assertThat(store.calls - before).as("one failed call, not one per table").isLessThanOrEqualTo(2);
        assertThat(orders.isValid()).isFalse();
        assertThat(lines.isValid()).isFalse();
        int beforePolls = store.calls;
        assertThat(a.tryAcquire(ORDERS)).isEmpty();
        assertThat(a.tryAcquire(LINES)).isEmpty();
        assertThat(store.calls).as("no call (and no timeout) per table right after a failure").isEqualTo(beforePolls);

        store.down = false;
        clock.advance(Duration.ofSeconds(2));
        assertThat(a.tryAcquire(ORDERS)).get().isNotSameAs(orders).matches(Lease::isValid);
        assertThat(a.tryAcquire(LINES)).get().isNotSameAs(lines).matches(Lease::isValid);
    }

    @Test
    void statusAndPlanRunsDoNotCountAsPeers() {
        AzureBlobLocker a = locker("a");
        a.tryAcquire(ORDERS);
        a.tryAcquire(LINES);
        locker("status-run");                        // opened, never asked for a table

        a.renewCycle();

        assertThat(a.peers()).isEqualTo(1);
    }

    @Test
    void instancesOverTheSameTablesConvergeToOneOwnerPerTableAndAnEvenSpread() {
        List<LockKey> tables = tables(7);
        List<AzureBlobLocker> lockers = List.of(locker("a"), locker("b"), locker("c"));

        List<List<Lease>> held = run(lockers, tables, 6);

        assertExactlyOneOwner(held, tables);
        assertThat(held).allSatisfy(leases -> assertThat(leases).hasSizeLessThanOrEqualTo(3));
    }

    @Test
    void aJoiningInstanceReceivesItsShareAndNoTableIsEverHeldTwice() {
        List<LockKey> tables = tables(6);
        AzureBlobLocker a = locker("a");
        run(List.of(a), tables, 2);
        assertThat(validLeases(a, tables)).hasSize(6);

        List<List<Lease>> held = run(List.of(a, locker("b")), tables, 6);

        assertExactlyOneOwner(held, tables);
        assertThat(held).allSatisfy(leases -> assertThat(leases).hasSize(3));
    }

    @Test
    void aTableAskedToBeHandedOverStaysHeldAndRenewedUntilItsStreamReleasesIt() {
        List<LockKey> tables = List.of(ORDERS, LINES);
        AzureBlobLocker a = locker("a");
        List<Lease> held = tables.stream().map(key -> a.tryAcquire(key).orElseThrow()).toList();
        AzureBlobLocker b = locker("b");

        for (int round = 0; round < 8; round++) {                   // 8 renewal periods: past the lease duration
            clock.advance(timing.renewEvery());                     // (a's stream is busy: say, stdout is slow)
            a.renewCycle();
            b.renewCycle();
            poll(b, tables);
            assertThat(validLeases(b, tables)).as("round %d", round).isEmpty();
        }
        assertThat(held).allMatch(Lease::isValid);
        List<Lease> asked = held.stream().filter(Lease::handOverRequested).toList();
        assertThat(asked).as("a holds one table over its share").hasSize(1);
        Lease extra = asked.get(0);

        extra.release();                                            // a's stream checkpointed what it wrote
        poll(b, tables);

        assertThat(validLeases(b, tables)).extracting(Lease::key).containsExactly(extra.key());
        assertThat(events(Level.INFO)).anySatisfy(line -> assertThat(line).contains(extra.key() + ": lock released"));
    }

    @Test
    void theTablesOfADeadInstanceAreTakenOverAfterItsLeasesExpire() {
        List<LockKey> tables = tables(4);
        AzureBlobLocker a = locker("a");
        AzureBlobLocker b = locker("b");
        run(List.of(a, b), tables, 6);
        assertThat(validLeases(a, tables)).hasSize(2);

        // b is killed: it neither renews nor polls any more
        List<List<Lease>> held = run(List.of(a), tables, 6);

        assertThat(held.get(0)).hasSize(4);
    }

    @Test
    void aDeadPeersTablesAreTakenWithinTheLeaseDurationAndAPollNotOneRenewalPeriodLater() {
        List<LockKey> tables = tables(4);
        AzureBlobLocker a = locker("a");
        run(List.of(a, locker("b")), tables, 6);     // b renews for the last time now, then dies
        assertThat(validLeases(a, tables)).hasSize(2);

        Duration poll = Duration.ofMillis(500);
        Duration elapsed = Duration.ZERO;
        while (validLeases(a, tables).size() < 4 && elapsed.compareTo(Duration.ofSeconds(30)) < 0) {
            clock.advance(poll);
            elapsed = elapsed.plus(poll);
            if (elapsed.toMillis() % 5000 == 4000) {   // a's renewals run out of phase with the expiry
                a.renewCycle();
            }
            poll(a, tables);
        }

        assertThat(elapsed).isLessThanOrEqualTo(LEASE.plusSeconds(2).plus(poll));
    }

    @Test
    void instancesWithOtherTablesNeverLimitThisOnesShare() {
        List<LockKey> mine = tables(4);
        List<LockKey> theirs = List.of(new LockKey("sql2", "hr", "dbo", "people"));
        AzureBlobLocker a = locker("a");
        AzureBlobLocker other = locker("other");

        for (int round = 0; round < 5; round++) {
            poll(a, mine);
            poll(other, theirs);
            clock.advance(timing.renewEvery());
            a.renewCycle();
            other.renewCycle();
        }

        assertThat(validLeases(a, mine)).hasSize(4);
    }

    // ---- the container lost at runtime, refusals

    @Test
    void aDeletedContainerIsCreatedAgainByTheRenewalAndTheTablesAreTakenAgainAfterOneLeaseDuration() {
        AzureBlobLocker a = locker("a");
        Lease orders = a.tryAcquire(ORDERS).orElseThrow();
        Lease lines = a.tryAcquire(LINES).orElseThrow();

        store.deleteContainer();                     // or a storage emulator restarted without its data
        clock.advance(timing.renewEvery());
        a.renewCycle();

        assertThat(orders.isValid()).isFalse();
        assertThat(lines.isValid()).isFalse();
        assertThat(store.containerExists()).as("created again by the running instance").isTrue();
        assertThat(store.holderLeaseId(LockBlobNames.instance("a"))).as("heartbeat registered again").isNotNull();
        for (int round = 0; round < 2; round++) {
            assertThat(a.tryAcquire(ORDERS)).as("not while an instance may still trust a lease of the old container").isEmpty();
            clock.advance(timing.renewEvery());
            a.renewCycle();
        }
        assertThat(a.tryAcquire(ORDERS)).isEmpty();
        clock.advance(timing.renewEvery());          // one lease duration since the loss was seen
        a.renewCycle();
        assertThat(a.tryAcquire(ORDERS)).get().matches(Lease::isValid);
        assertThat(a.tryAcquire(LINES)).get().matches(Lease::isValid);
        assertThat(events(Level.ERROR)).isEmpty();
    }

    @Test
    void aPollThatFindsTheContainerGoneEndsTheOtherLeasesAtOnce() {
        AzureBlobLocker a = locker("a");
        Lease orders = a.tryAcquire(ORDERS).orElseThrow();

        store.deleteContainer();

        assertThat(a.tryAcquire(LINES)).isEmpty();
        assertThat(orders.isValid()).as("its blob went with the container").isFalse();
    }

    @Test
    void anInstanceThatMissedTheLossStillWaitsBeforeTakingATableAnotherMayTrust() throws LeaseStoreException {
        AzureBlobLocker a = locker("a");
        AzureBlobLocker b = locker("b");
        Lease old = a.tryAcquire(ORDERS).orElseThrow();

        store.deleteContainer();
        store.createContainer();                     // by a third instance, before a and b looked

        assertThat(old.isValid()).as("a has not noticed yet").isTrue();
        assertThat(b.tryAcquire(ORDERS)).as("b finds its heartbeat gone, so the container is a new one").isEmpty();
        clock.advance(timing.renewEvery());
        a.renewCycle();
        b.renewCycle();
        assertThat(old.isValid()).isFalse();
        for (int round = 0; round < 3; round++) {    // one lease duration after the last sign (the heartbeats gone)
            assertThat(b.tryAcquire(ORDERS)).isEmpty();
            clock.advance(timing.renewEvery());
            a.renewCycle();
            b.renewCycle();
        }
        assertThat(b.tryAcquire(ORDERS)).get().matches(Lease::isValid);
        assertThat(a.tryAcquire(ORDERS)).isEmpty();
    }

    @Test
    void noTableIsEverHeldTwiceAcrossAContainerLossAndEveryTableIsHeldAgainAfterIt() {
        List<LockKey> tables = tables(6);
        List<AzureBlobLocker> lockers = List.of(locker("a"), locker("b"));
        run(lockers, tables, 4);

        store.deleteContainer();
        List<List<Lease>> held = run(lockers, tables, 8);

        assertExactlyOneOwner(held, tables);
        assertThat(held).allSatisfy(leases -> assertThat(leases).hasSize(3));
    }

    @Test
    void aContainerTheCredentialsMayNotCreateIsOneErrorSayingSoAndTablesComeBackOnceItExists() throws LeaseStoreException {
        AzureBlobLocker a = locker("a");
        a.tryAcquire(ORDERS).orElseThrow();
        store.mayCreateContainer = false;            // e.g. a SAS scoped to the container
        store.deleteContainer();

        for (int round = 0; round < 6; round++) {
            clock.advance(timing.renewEvery());
            a.renewCycle();
            assertThat(a.tryAcquire(ORDERS)).isEmpty();
        }

        assertThat(events(Level.ERROR)).singleElement().asString().contains("may not create container locks");
        store.mayCreateContainer = true;
        store.createContainer();                     // the operator creates it
        for (int round = 0; round < 4; round++) {
            clock.advance(timing.renewEvery());
            a.renewCycle();
        }
        assertThat(a.tryAcquire(ORDERS)).get().matches(Lease::isValid);
        assertThat(events(Level.INFO)).anySatisfy(line -> assertThat(line).contains("works again"));
        assertThat(events(Level.ERROR)).hasSize(1);
    }

    @Test
    void aStartupWithoutTheContainerCreatesIt() {
        store.deleteContainer();

        locker("a");

        assertThat(store.containerExists()).isTrue();
    }

    @Test
    void aStartupWithoutTheContainerAndWithoutTheRightToCreateItSaysBoth() {
        store.deleteContainer();
        store.mayCreateContainer = false;

        assertThatThrownBy(() -> locker("a")).isInstanceOf(LockerException.class)
                .hasMessageContaining("does not exist").hasMessageContaining("may not create");
    }

    @Test
    void eachRefusalIsOneErrorUntilTheServiceWorksAgainAndAnOutageIsOnlyAWarning() {
        AzureBlobLocker a = locker("a");
        a.tryAcquire(ORDERS).orElseThrow();

        store.refusal = new LeaseStoreException(Kind.REFUSED, "the credentials lack a permission (test)");
        cycles(a, 3);
        store.refusal = new LeaseStoreException(Kind.REFUSED, "the SAS does not allow this host (test)");
        cycles(a, 3);
        assertThat(events(Level.ERROR)).hasSize(2);
        store.refusal = null;
        cycles(a, 1);
        assertThat(events(Level.INFO)).anySatisfy(line -> assertThat(line).contains("works again"));
        store.refusal = new LeaseStoreException(Kind.REFUSED, "the credentials lack a permission (test)");
        cycles(a, 1);
        assertThat(events(Level.ERROR)).as("the same refusal after a recovery is news again").hasSize(3);

        store.refusal = null;
        store.down = true;
        cycles(a, 3);
        assertThat(events(Level.ERROR)).hasSize(3);
        assertThat(events(Level.WARN)).filteredOn(line -> line.contains("connection refused (test outage)")).hasSize(1);
    }

    private void cycles(AzureBlobLocker locker, int count) {
        for (int i = 0; i < count; i++) {
            clock.advance(timing.renewEvery());
            locker.renewCycle();
            locker.tryAcquire(ORDERS);
        }
    }

    private List<String> events(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Rounds of "every instance polls every table, time passes, every instance renews"; checks no table ever has two owners. */
    private List<List<Lease>> run(List<AzureBlobLocker> lockers, List<LockKey> tables, int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (AzureBlobLocker locker : lockers) {
                poll(locker, tables);
                assertExactlyOneOwner(lockers.stream().map(l -> validLeases(l, tables)).toList(), List.of());
            }
            clock.advance(timing.renewEvery());
            for (AzureBlobLocker locker : lockers) {
                locker.renewCycle();
            }
        }
        lockers.forEach(locker -> poll(locker, tables));
        return lockers.stream().map(l -> validLeases(l, tables)).toList();
    }

    /** What the provider does each poll: give up the tables it is asked to hand over, ask for every table it does not validly hold. */
    private void poll(AzureBlobLocker locker, List<LockKey> tables) {
        Map<LockKey, Lease> leases = seen.computeIfAbsent(locker, l -> new HashMap<>());
        leases.values().stream().filter(lease -> lease.isValid() && lease.handOverRequested()).toList().forEach(Lease::release);
        for (LockKey key : tables) {
            locker.tryAcquire(key).ifPresent(lease -> leases.put(key, lease));
        }
    }

    /** The leases an instance was given and that are still valid. */
    private List<Lease> validLeases(AzureBlobLocker locker, List<LockKey> tables) {
        Map<LockKey, Lease> leases = seen.getOrDefault(locker, Map.of());
        return tables.stream().map(leases::get).filter(lease -> lease != null && lease.isValid()).toList();
    }

    /** No table is validly held by two instances; when {@code all} is given, every one of them is held. */
    private static void assertExactlyOneOwner(List<List<Lease>> held, List<LockKey> all) {
        List<LockKey> owned = held.stream().flatMap(List::stream).map(Lease::key).toList();
        assertThat(owned).doesNotHaveDuplicates();
        assertThat(owned).containsAll(all);
    }

    private static List<LockKey> tables(int count) {
        List<LockKey> tables = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tables.add(new LockKey("sql1", "sales", "dbo", "t" + i));
        }
        return tables;
    }
}
