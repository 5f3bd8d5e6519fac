package io.dstream.mssql.ingester.chaos;

import java.util.ArrayList;
import java.util.List;

/** The properties checked, each passed or failed with its first violations, and the report printed at the end. */
final class Verdict {

    private static final int SHOWN = 10;

    private record Property(String name, List<String> violations) {
    }

    private final List<Property> properties = new ArrayList<>();

    void check(String property, List<String> violations) {
        properties.add(new Property(property, List.copyOf(violations)));
    }

    int passed() {
        return (int) properties.stream().filter(p -> p.violations().isEmpty()).count();
    }

    int failed() {
        return properties.size() - passed();
    }

    /** One line per property, the violations of a failed one under it (the first {@value #SHOWN}). */
    String lines() {
        StringBuilder out = new StringBuilder();
        for (Property p : properties) {
            out.append(p.violations().isEmpty() ? "  passed: " : "  FAILED: ").append(p.name());
            if (!p.violations().isEmpty()) {
                out.append(" (").append(p.violations().size()).append(" violations)");
            }
            out.append('\n');
            p.violations().stream().limit(SHOWN).forEach(v -> out.append("      ").append(v).append('\n'));
        }
        return out.append(passed()).append(" passed, ").append(failed()).append(" failed\n").toString();
    }
}
