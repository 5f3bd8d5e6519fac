package io.dstream.mssql.ingester.e2e;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/demo} as a user runs it: JSON changes of the three demo tables appear on stdout (including an order
 * and its lines from one transaction), and a signal stops the emulator, the workload and the provider.
 */
class DemoIT {

    @Test
    void theDemoStreamsChangesAndStopsEverythingOnASignal() throws Exception {
        Path root = repositoryRoot();
        Process demo = new ProcessBuilder(root.resolve("bin/demo").toString(), "--rate", "10")
                .directory(root.toFile()).start();
        demo.getOutputStream().close();
        List<String> stdout = new CopyOnWriteArrayList<>();
        List<String> stderr = new CopyOnWriteArrayList<>();
        read(demo.getInputStream(), stdout);
        read(demo.getErrorStream(), stderr);
        try {
            Awaitility.await("changes of dbo.orders and sales.order lines on stdout")
                    .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .failFast("bin/demo ended", () -> !demo.isAlive())
                    .until(() -> has(stdout, "\"dbo.orders\"") && has(stdout, "\"sales.order lines\"")
                            && has(stdout, "\"dbo.customers\""));
            List<ProcessHandle> children = demo.descendants().filter(ProcessHandle::isAlive).toList();

            // SIGTERM, like Ctrl-C's SIGINT, goes through the script's trap. Not Process.destroy(): it would close
            // the pipes, and the script would die of SIGPIPE when it says it stopped.
            demo.toHandle().destroy();
            assertThat(demo.waitFor(20, TimeUnit.SECONDS)).as("bin/demo stops").isTrue();
            assertThat(demo.exitValue()).isZero();
            Awaitility.await("emulator, workload and provider stopped").atMost(Duration.ofSeconds(5))
                    .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
            assertThat(stdout.get(0)).isEqualTo("{\"status\":\"ready\"}");
            assertThat(stdout).allSatisfy(line -> assertThat(Json.isJson(line)).as("JSON: %s", line).isTrue());
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nbin/demo stdout (" + stdout.size() + " lines, first 3):\n"
                    + String.join("\n", stdout.subList(0, Math.min(3, stdout.size())))
                    + "\nbin/demo stderr:\n" + String.join("\n", stderr), e);
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }

    private static boolean has(List<String> lines, String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    private static void read(InputStream in, List<String> into) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    into.add(line);
                }
            } catch (IOException e) {
                // the demo ended
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    /** The repository root: the demo needs both modules' jars, built by {@code package} before the ITs run. */
    private static Path repositoryRoot() {
        Path root = ProviderProcess.jar().toAbsolutePath().getParent().getParent().getParent();
        assertThat(root.resolve("bin/demo")).exists();
        try (var files = Files.list(root.resolve("emulator/target"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("the emulator jar (run `mvn -B package -DskipTests` at the root first)")
                    .anyMatch(name -> name.matches("mssql-cdc-emulator-.*-all\\.jar"));
        } catch (IOException e) {
            throw new AssertionError("emulator/target missing: run `mvn -B package -DskipTests` at the root first", e);
        }
        return root;
    }
}
