package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Golden transcripts: {@code src/test/resources/e2e/<name>.jsonl} holds the exact JSON expected, one change per
 * line, in order, nothing extra; volatile fields already normalised (see {@link Changes.Normaliser}).
 */
public final class Golden {

    private Golden() {
    }

    public static void assertMatches(String name, List<JsonNode> actual) {
        List<JsonNode> expected = Json.resourceLines("/e2e/" + name + ".jsonl");
        if (!expected.equals(actual)) {
            throw new AssertionError("transcript differs from src/test/resources/e2e/" + name + ".jsonl\n"
                    + firstDifference(expected, actual)
                    + "\n--- expected ---\n" + lines(expected) + "\n--- actual ---\n" + lines(actual));
        }
    }

    private static String firstDifference(List<JsonNode> expected, List<JsonNode> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                return "first difference at change #" + (i + 1) + ":\n  expected " + Json.write(expected.get(i))
                        + "\n  actual   " + Json.write(actual.get(i));
            }
        }
        return "expected " + expected.size() + " changes, got " + actual.size();
    }

    private static String lines(List<JsonNode> nodes) {
        return nodes.stream().map(Json::write).collect(Collectors.joining("\n"));
    }
}
