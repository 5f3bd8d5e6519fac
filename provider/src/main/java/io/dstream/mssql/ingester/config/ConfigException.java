package io.dstream.mssql.ingester.config;

import java.util.List;

/** The configuration cannot be used; {@link #problems()} lists every problem found, each saying what to fix. */
public class ConfigException extends Exception {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : problems.size() + " configuration problems: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
