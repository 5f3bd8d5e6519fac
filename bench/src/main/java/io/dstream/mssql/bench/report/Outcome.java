package io.dstream.mssql.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the results: the scenario, its headline figure as text, the target it is held
 * against, the verdict, and every measured number behind it (for the JSON report).
 */
public record Outcome(String scenario, String figure, String target, Verdict verdict, Map<String, Object> details) {

    public Outcome {
        details = new LinkedHashMap<>(details);
    }

    public static Outcome error(String scenario, String target, String reason) {
        return new Outcome(scenario, "error: " + reason, target, Verdict.ERROR, Map.of("error", reason));
    }
}
