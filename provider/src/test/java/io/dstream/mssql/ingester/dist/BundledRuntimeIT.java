package io.dstream.mssql.ingester.dist;

import io.dstream.mssql.ingester.e2e.ProviderProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jlink'd runtime of the linux_amd64 plugin has what the provider needs beyond what the emulator test
 * exercises: {@link RuntimeProbe} run on it (TLS with ECDHE and the CA certificates, collation code pages,
 * Kerberos, JNDI DNS, JMX, the metrics endpoint's HTTP server, Unsafe). The modules come from jdeps plus {@link JavaRuntime#RUNTIME_ONLY_MODULES};
 * this is what fails if a runtime-only need is dropped.
 */
class BundledRuntimeIT {

    @Test
    void bundledRuntimeHasTlsCharsetsKerberosAndTheRest() throws IOException, InterruptedException {
        Path dist = ProviderProcess.jar().getParent().resolve("dist");
        Path java = dist.resolve(ClassDataSharing.RUNTIME).resolve("bin/java");
        Path testClasses = Path.of(RuntimeProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Process probe = new ProcessBuilder(java.toString(), "-cp", testClasses.toString(), RuntimeProbe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEqualToIgnoringNewLines("runtime ok");
        assertThat(probe.exitValue()).isZero();
    }
}
