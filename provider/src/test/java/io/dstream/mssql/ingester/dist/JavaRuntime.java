package io.dstream.mssql.ingester.dist;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

/**
 * The Java runtime shipped with the linux_amd64 plugin: {@code jlink} of the JDK that runs the build, with the
 * modules the provider jar uses ({@code jdeps --print-module-deps}) plus those it needs only at run time, which
 * no class file names.
 */
final class JavaRuntime {

    /**
     * Modules loaded by name or through a service at run time, invisible to jdeps:
     * <ul>
     * <li>{@code jdk.crypto.ec}: elliptic-curve key exchange and certificates, which TLS to SQL Server and Azure
     * Storage negotiates (the SunEC provider);</li>
     * <li>{@code jdk.charsets}: the code pages of non-Unicode SQL Server collations beyond Latin-1 (MS932 for
     * Japanese_*, GBK, Big5, ...), which mssql-jdbc decodes varchar columns with;</li>
     * <li>{@code jdk.naming.dns}: the JNDI {@code dns:} provider mssql-jdbc resolves Kerberos SRV records with;</li>
     * <li>{@code jdk.security.auth}: the Kerberos login module behind {@code authenticationScheme=JavaKerberos}.</li>
     * </ul>
     */
    static final Set<String> RUNTIME_ONLY_MODULES = Set.of("jdk.crypto.ec", "jdk.charsets", "jdk.naming.dns", "jdk.security.auth");

    private JavaRuntime() {
    }

    /** The modules the jar needs: what jdeps finds in its class files, plus {@link #RUNTIME_ONLY_MODULES}. */
    static Set<String> modulesFor(Path jar) {
        String out = run("jdeps", "--print-module-deps", "--ignore-missing-deps", "--multi-release", "17", jar.toString());
        Set<String> modules = new TreeSet<>(RUNTIME_ONLY_MODULES);
        for (String module : out.strip().split(",")) {
            if (!module.isBlank()) {
                modules.add(module.strip());
            }
        }
        return modules;
    }

    /** Links a runtime with these modules into {@code output}, which must not exist yet. */
    static void link(Set<String> modules, Path output) {
        run("jlink", "--add-modules", String.join(",", modules), "--strip-debug", "--no-man-pages", "--no-header-files",
                "--output", output.toString());
    }

    /** Runs a JDK tool in this JVM (the JDK running the build, whose jmods jlink links from). */
    private static String run(String tool, String... args) {
        ToolProvider provider = ToolProvider.findFirst(tool).orElseThrow(() -> new IllegalStateException(
                tool + " is not in " + System.getProperty("java.home") + ": the package step needs a full JDK 17+ (with jmods)"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = provider.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        if (code != 0) {
            List<String> command = new ArrayList<>(List.of(tool));
            command.addAll(List.of(args));
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + code + ":\n" + out + err);
        }
        return out.toString();
    }
}
