package io.dstream.mssql.ingester.output;

import java.util.List;
import java.util.Optional;

/**
 * The lines of a page of changes, in order, and the change they stop before when one cannot be written
 * ({@link OversizedChange}): then the lines cover every change before it and none after it.
 */
public record Formatted(List<OutputLine> lines, Optional<OversizedChange> stoppedBefore) {

    public Formatted {
        lines = List.copyOf(lines);
    }

    static Formatted all(List<OutputLine> lines) {
        return new Formatted(lines, Optional.empty());
    }

    static Formatted stoppedBefore(List<OutputLine> lines, OversizedChange change) {
        return new Formatted(lines, Optional.of(change));
    }
}
