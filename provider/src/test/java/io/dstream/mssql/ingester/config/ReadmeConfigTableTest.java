package io.dstream.mssql.ingester.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration table is the one generated from {@link ConfigKeys}: docs and code agree. */
class ReadmeConfigTableTest {

    private static final String START = "<!-- config-table:start -->\n";
    private static final String END = "<!-- config-table:end -->";

    @Test
    void readmeShowsTheDeclaredKeys() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertThat(start).as("README.md has the config-table markers").isNotNegative();
        assertThat(end).isGreaterThan(start);
        assertThat(readme.substring(start + START.length(), end))
                .as("README.md's config table; regenerate it with "
                        + "java -cp provider/target/dstream-ingester-mssql-*-all.jar io.dstream.mssql.ingester.config.ConfigKeys")
                .isEqualTo(ConfigKeys.markdownTable());
    }
}
