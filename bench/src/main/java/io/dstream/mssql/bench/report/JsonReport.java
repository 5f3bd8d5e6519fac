package io.dstream.mssql.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results as JSON: the run's settings, the machine, and every outcome with its figures. */
public final class JsonReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static void write(Path file, Map<String, Object> run, List<Outcome> outcomes) throws IOException {
        Files.writeString(file, toJson(run, outcomes) + "\n");
    }

    public static String toJson(Map<String, Object> run, List<Outcome> outcomes) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>(run);
        Map<String, Object> scenarios = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("result", o.figure());
            entry.put("target", o.target());
            entry.put("verdict", o.verdict().label());
            entry.putAll(o.details());
            scenarios.put(o.scenario(), entry);
        }
        root.put("scenarios", scenarios);
        return JSON.writeValueAsString(root);
    }
}
