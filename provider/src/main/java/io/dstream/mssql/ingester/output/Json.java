package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.cdc.Columns;
import io.dstream.mssql.ingester.cdc.RowImage;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** JSON helpers shared by the output formats. */
public final class Json {

    /**
     * UTF-8 output writes a character outside the BMP as its 4 UTF-8 bytes (Jackson's default is a
     * 12-byte {@code \\uD83D\\uDE00} escape pair); a lone surrogate, which UTF-8 cannot encode, stays escaped.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A UTF-8 generator from the mapper's factory (the same output as {@link #bytes}) writing into
     * {@code out}; consecutive top-level values are not separated, the caller places them.
     */
    static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
        g.setRootValueSeparator(null);
        return g;
    }

    /**
     * Writes an image as a JSON object, its columns in order, each value by its column's type ({@link Values});
     * a column in {@code markers} is written as its marker instead, a column left out of the image not at all.
     */
    static void writeRow(JsonGenerator g, RowImage image, Map<Integer, ObjectNode> markers) throws IOException {
        Columns columns = image.columns();
        g.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            if (!image.has(i)) {
                continue;
            }
            g.writeFieldName(columns.name(i));
            ObjectNode marker = markers.isEmpty() ? null : markers.get(i);
            if (marker == null) {
                Values.write(g, image.value(i), columns.type(i));
            } else {
                MAPPER.writeTree(g, marker);
            }
        }
        g.writeEndObject();
    }

    static void writeStrings(JsonGenerator g, List<String> values) throws IOException {
        g.writeStartArray();
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    static void writeCommitTime(JsonGenerator g, Instant instant) throws IOException {
        if (instant == null) {
            g.writeNull();
        } else {
            g.writeString(Values.commitTime(instant));
        }
    }
}
