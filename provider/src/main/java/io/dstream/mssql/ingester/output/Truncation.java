package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.Map;

/**
 * The values of one change that {@code oversized_change=truncate} replaced by {@link LineLimit#marker markers},
 * by column index in its data and before images; {@link #NONE} for a change written whole. The change itself
 * is never copied or altered: the formats write the marker in place of the value.
 */
record Truncation(Map<Integer, ObjectNode> data, Map<Integer, ObjectNode> before) {

    static final Truncation NONE = new Truncation(Map.of(), Map.of());

    Truncation {
        data = Map.copyOf(data);
        before = Map.copyOf(before);
    }

    /** This truncation, with the value of column {@code index} of one image replaced by {@code marker} too. */
    Truncation with(boolean inBefore, int index, ObjectNode marker) {
        Map<Integer, ObjectNode> image = new HashMap<>(inBefore ? before : data);
        image.put(index, marker);
        return inBefore ? new Truncation(data, image) : new Truncation(image, before);
    }
}
