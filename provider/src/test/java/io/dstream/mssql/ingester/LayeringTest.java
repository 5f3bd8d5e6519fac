package io.dstream.mssql.ingester;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider's packages form layers, and every import points down: a package uses only the packages
 * below it, so each can be read (and tested) knowing nothing of the ones above.
 */
class LayeringTest {

    /**
     * Top to bottom. The root package ({@code Main}, {@code Commands}, {@code Startup}) wires everything;
     * {@code metrics} exposes what {@code stream} counts (read through {@code TableStatus}, never written);
     * {@code stream} schedules the tables; {@code output} writes the changes {@code cdc} reads through
     * {@code db}; {@code config} is the validated config, and {@code locking} knows only its own settings.
     */
    static final List<String> LAYERS = List.of("", "metrics", "stream", "output", "cdc", "db", "config", "locking");

    private static final Path SOURCES = Path.of("src/main/java/io/dstream/mssql/ingester");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.dstream\\.mssql\\.ingester\\.(?:([a-z]+)\\.)?[A-Z]",
            Pattern.MULTILINE);

    @Test
    void everyImportPointsDown() throws IOException {
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = packageOf(file);
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String to = m.group(1) == null ? "" : m.group(1);
                    if (!to.equals(from) && rank(to) <= rank(from)) {
                        upward.add(SOURCES.relativize(file) + " imports from " + name(to) + ", which is not below " + name(from));
                    }
                }
            }
        }
        assertThat(upward).isEmpty();
    }

    @Test
    void everyPackageHasItsLayer() throws IOException {
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            assertThat(dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).toList())
                    .allMatch(LAYERS::contains, "named in LAYERS");
        }
    }

    private static String packageOf(Path file) {
        Path relative = SOURCES.relativize(file);
        return relative.getNameCount() == 1 ? "" : relative.getName(0).toString();
    }

    private static int rank(String pkg) {
        int rank = LAYERS.indexOf(pkg);
        assertThat(rank).as("layer of package '%s'", pkg).isNotNegative();
        return rank;
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? "the root package" : pkg;
    }
}
