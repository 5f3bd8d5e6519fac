package io.dstream.mssql.ingester.locking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.classic.Level;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** {@link AzureBlobLocker} against a real Azurite Blob service. */
class AzureBlobLockerIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final LockKey ORDERS = new LockKey("sql1", "sales", "dbo", "orders");
    private static final LockKey LINES = new LockKey("sql1", "sales", "dbo", "lines");

    private final String container = AzuriteExtension.uniqueContainer();
    private final List<Locker> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Locker::close);
    }

    private Locker open() {
        return open(AZURITE.connectionString());
    }

    private Locker open(String connectionString) {
        Locker locker = Lockers.open(new LockConfig(LockType.AZURE_BLOB, connectionString, container, LEASE));
        opened.add(locker);
        return locker;
    }

    @Test
    void aLeaseIsRenewedInTheBackgroundAndHeldAgainstASecondInstanceUntilReleased() {
        Locker a = open();
        Locker b = open();
        Lease lease = a.tryAcquire(ORDERS).orElseThrow();

        assertThat(b.tryAcquire(ORDERS)).isEmpty();
        assertThat(b.lockStatus(ORDERS)).startsWith("held by ").contains(String.valueOf(ProcessHandle.current().pid()));
        assertThat(b.lockStatus(LINES)).isEqualTo("free");
        // beyond the 10 s a 15 s lease is trusted without renewal: only renewals keep it valid
        await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(15)).until(lease::isValid);
        assertThat(b.tryAcquire(ORDERS)).isEmpty();

        lease.release();

        assertThat(lease.isValid()).isFalse();
        assertThat(b.tryAcquire(ORDERS)).isPresent();
    }

    @Test
    void closeReleasesSoAnotherInstanceTakesTheTablesAtOnce() {
        Locker a = open();
        a.tryAcquire(ORDERS).orElseThrow();
        a.tryAcquire(LINES).orElseThrow();
        Locker b = open();

        a.close();

        assertThat(b.tryAcquire(ORDERS)).isPresent();
        assertThat(b.tryAcquire(LINES)).isPresent();
    }

    @Test
    void aHolderThatStopsRenewingIsTakenOverOnlyAfterItStoppedTrustingItsLease() {
        // a holder without its renewal thread: what a frozen or killed process looks like from outside
        AzureLeaseStore store = AzureLeaseStore.connect(AZURITE.connectionString(), container);
        AzureBlobLocker frozen = new AzureBlobLocker(store, LeaseClock.SYSTEM, LeaseTiming.of(LEASE), "frozen-1", "frozen");
        frozen.register();
        opened.add(frozen);
        Lease old = frozen.tryAcquire(ORDERS).orElseThrow();
        Locker b = open();
        long start = System.nanoTime();
        List<Boolean> oldValidWhenTaken = new ArrayList<>();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            boolean oldValid = old.isValid();
            Optional<Lease> taken = b.tryAcquire(ORDERS);
            taken.ifPresent(lease -> oldValidWhenTaken.add(oldValid));
            return taken.isPresent();
        });

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(13));
        assertThat(oldValidWhenTaken).containsExactly(false);
    }

    @Test
    void aWrongAccountKeyFailsAtOpenWithAClearMessageAndTheKeyIsNeverLoggedOrShown() {
        String wrongKey = "V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3JvbmdLZXk=";
        String cs = AZURITE.connectionString().replace(AZURITE.accountKey(), wrongKey);
        ListAppender<ILoggingEvent> logs = captureLogs();

        assertThatThrownBy(() -> open(cs))
                .isInstanceOf(LockerException.class)
                .hasMessageContaining("refused the request")  // Azurite answers 403 AuthorizationFailure to a wrong key
                .hasMessageContaining("AccountKey")
                .hasMessageNotContaining(wrongKey);
        assertThat(logs.list).allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).doesNotContain(wrongKey);
            assertThat(String.valueOf(event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage()))
                    .doesNotContain(wrongKey);
        });
    }

    @Test
    void anUnreachableEndpointFailsAtOpenWithinSeconds() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String cs = AZURITE.connectionString().replace("127.0.0.1:" + AZURITE.port(), "127.0.0.1:" + closedPort);
        long start = System.nanoTime();

        assertThatThrownBy(() -> open(cs)).isInstanceOf(LockerException.class).hasMessageContaining("cannot reach");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aSasConnectionStringAndASasServiceUrlBothWork() {
        String sas = accountSas("racwdl");

        Locker a = open("BlobEndpoint=" + AZURITE.blobEndpoint() + ";SharedAccessSignature=" + sas);
        Locker b = open(AZURITE.blobEndpoint() + "?" + sas);

        assertThat(a.tryAcquire(ORDERS)).isPresent();
        assertThat(b.tryAcquire(ORDERS)).isEmpty();
        assertThat(a.describe()).doesNotContain("sig=" + sas.replaceAll(".*sig=", "").replaceAll("&.*", ""));
    }

    @Test
    void everyConnectionStringFormResolvesToItsAccountsEndpoint() {
        String key = "c2VjcmV0S2V5VmFsdWU=";
        assertOpenUses("UseDevelopmentStorage=true", "http://127.0.0.1:10000/devstoreaccount1");
        assertOpenUses("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + key + ";EndpointSuffix=core.windows.net",
                "https://acme.blob.core.windows.net");
        assertOpenUses("accountname=acme; accountkey=" + key + "; defaultendpointsprotocol=https;", "https://acme.blob.core.windows.net");
        assertOpenUses("AccountName=acme;AccountKey=" + key + ";BlobEndpoint=https://locks.example.net", "https://locks.example.net");
    }

    /** Opening either works (an emulator answers there) or fails naming the endpoint: both prove where the string points. */
    private void assertOpenUses(String connectionString, String endpoint) {
        try {
            assertThat(open(connectionString).describe()).contains("endpoint=" + endpoint);
        } catch (LockerException e) {
            assertThat(e).hasMessageContaining("at " + endpoint).hasMessageNotContaining("c2VjcmV0S2V5VmFsdWU=");
        }
    }

    @Test
    void aSasWithoutWritePermissionFailsAtOpenAndSaysWhichPermissionsAreNeeded() {
        open();                                      // creates the container
        String readOnly = accountSas("rl");

        assertThatThrownBy(() -> open("BlobEndpoint=" + AZURITE.blobEndpoint() + ";SharedAccessSignature=" + readOnly))
                .isInstanceOf(LockerException.class)
                .hasMessageContaining("read, add, create, write, delete and list")
                .hasMessageNotContaining(readOnly.replaceAll(".*sig=", "").replaceAll("&.*", ""));
    }

    @Test
    void aServiceOutageEndsTheLeasesAndTheTablesAreTakenAgainWhenItIsBack() throws Exception {
        Locker a = open();
        Lease orders = a.tryAcquire(ORDERS).orElseThrow();
        Lease lines = a.tryAcquire(LINES).orElseThrow();

        AZURITE.stop();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> !orders.isValid() && !lines.isValid());
            long start = System.nanoTime();
            assertThat(a.tryAcquire(ORDERS)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            AZURITE.startAgain();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> a.tryAcquire(ORDERS).isPresent() && a.tryAcquire(LINES).isPresent());
        assertThat(a.tryAcquire(ORDERS).orElseThrow()).isNotSameAs(orders);
    }

    @Test
    void threeInstancesOverSevenTablesConvergeToOneOwnerEachAndAtMostThreePerInstance() {
        List<LockKey> tables = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            tables.add(new LockKey("sql1", "sales", "dbo", "t" + i));
        }
        List<Locker> lockers = List.of(open(), open(), open());
        List<Map<LockKey, Lease>> held = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (int i = 0; i < lockers.size(); i++) {
                Map<LockKey, Lease> mine = held.get(i);
                // as the provider's streams do: give up a table asked to be handed over, ask for the others
                mine.values().stream().filter(lease -> lease.isValid() && lease.handOverRequested()).toList()
                        .forEach(Lease::release);
                for (LockKey table : tables) {
                    lockers.get(i).tryAcquire(table).ifPresent(lease -> mine.put(table, lease));
                }
            }
            List<LockKey> owned = held.stream().flatMap(m -> m.values().stream()).filter(Lease::isValid).map(Lease::key).toList();
            assertThat(owned).as("no table validly held by two instances").doesNotHaveDuplicates();
            return owned.size() == tables.size()
                    && held.stream().allMatch(m -> m.values().stream().filter(Lease::isValid).count() <= 3);
        });
    }

    @Test
    void aContainerDeletedWhileTablesAreHeldIsCreatedAgainAndTheTablesAreTakenAgain() {
        Locker a = open();
        Lease orders = a.tryAcquire(ORDERS).orElseThrow();
        Lease lines = a.tryAcquire(LINES).orElseThrow();
        ListAppender<ILoggingEvent> logs = captureLogs();
        try {
            containerClient().delete();

            await("the leases end").atMost(Duration.ofSeconds(10)).until(() -> !orders.isValid() && !lines.isValid());
            await("the container is created again").atMost(Duration.ofSeconds(10)).until(() -> containerClient().exists());
            await("the heartbeat is registered again").atMost(Duration.ofSeconds(10)).until(() -> containerClient()
                    .listBlobs(new ListBlobsOptions().setPrefix(LockBlobNames.INSTANCES_PREFIX), null).stream().findAny().isPresent());
            awaitTakenAgain(a);
            assertThat(levels(logs, Level.ERROR)).isEmpty();
        } finally {
            release(logs);
        }
    }

    @Test
    void anAzuriteRestartedWithoutItsDataIsRecoveredFrom() throws Exception {
        Locker a = open();
        Lease orders = a.tryAcquire(ORDERS).orElseThrow();

        AZURITE.restartWithoutData();

        await("the lease ends").atMost(Duration.ofSeconds(10)).until(() -> !orders.isValid());
        awaitTakenAgain(a);
        assertThat(containerClient().exists()).isTrue();
    }

    @Test
    void aContainerTheSasMayNotCreateIsOneErrorSayingWhatToDoAndTheTablesComeBackOnceItExists() {
        containerClient().create();
        String sas = containerClient().generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                BlobContainerSasPermission.parse("racwdl")));
        Locker a = open("BlobEndpoint=" + AZURITE.blobEndpoint() + ";SharedAccessSignature=" + sas);
        a.tryAcquire(ORDERS).orElseThrow();
        ListAppender<ILoggingEvent> logs = captureLogs();
        try {
            containerClient().delete();

            await("one error").atMost(Duration.ofSeconds(15)).until(() -> !levels(logs, Level.ERROR).isEmpty());
            await("no second one").during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(15))
                    .until(() -> levels(logs, Level.ERROR).size() == 1 && a.tryAcquire(ORDERS).isEmpty());
            assertThat(levels(logs, Level.ERROR).get(0)).contains("may not create container " + container, "create the container");
            containerClient().create();
            awaitTakenAgain(a);
            String signature = sas.replaceAll(".*sig=", "").replaceAll("&.*", "");
            assertThat(events(logs)).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(signature));
        } finally {
            release(logs);
        }
    }

    /** One lease duration after the loss was seen, plus a renewal period for the last sign of it. */
    private static void awaitTakenAgain(Locker locker) {
        await("the tables are taken again").atMost(LEASE.plus(Duration.ofSeconds(15))).pollInterval(Duration.ofMillis(500))
                .until(() -> locker.tryAcquire(ORDERS).isPresent() && locker.tryAcquire(LINES).isPresent());
    }

    private BlobContainerClient containerClient() {
        return new BlobServiceClientBuilder().connectionString(AZURITE.connectionString()).buildClient()
                .getBlobContainerClient(container);
    }

    private static List<String> levels(ListAppender<ILoggingEvent> logs, Level level) {
        return events(logs).stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** A copy: the appender adds under its own lock while the renewal thread logs. */
    private static List<ILoggingEvent> events(ListAppender<ILoggingEvent> logs) {
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }

    private static void release(ListAppender<ILoggingEvent> logs) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    private static String accountSas(String permissions) {
        var service = new BlobServiceClientBuilder().connectionString(AZURITE.connectionString()).buildClient();
        return service.generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse(permissions), AccountSasService.parse("b"), AccountSasResourceType.parse("sco")));
    }

    private static ListAppender<ILoggingEvent> captureLogs() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
        return appender;
    }
}
