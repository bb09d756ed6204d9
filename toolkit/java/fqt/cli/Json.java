package fqt.cli;

import com.google.gson.FormattingStyle;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.Map;

/**
 * One-line JSON objects (Gson) from ordered maps. A float prints as Java's shortest form of it, as
 * it was typed (0.05f is 0.05, not 0.05000000074505806); NaN and infinities print as null, since
 * JSON has no number for them.
 */
final class Json {
    private Json() {}

    private static final Gson GSON = new GsonBuilder()
            .setFormattingStyle(FormattingStyle.COMPACT.withSpaceAfterSeparators(true))
            .serializeNulls()
            .disableHtmlEscaping() // layer descriptions have "->"; the output goes to terminals and files, not into HTML
            .registerTypeAdapter(Float.class, new Finite<Float>() {
                @Override void writeFinite(JsonWriter out, Float v) throws IOException { out.jsonValue(Float.toString(v)); }
            })
            .registerTypeAdapter(Double.class, new Finite<Double>() {
                @Override void writeFinite(JsonWriter out, Double v) throws IOException { out.value(v.doubleValue()); }
            })
            .create();

    static String object(Map<String, ?> fields) {
        return GSON.toJson(fields);
    }

    /** Prints one object per row of {@code t}, its columns in order: a table's form for --json. */
    static void printRows(tech.tablesaw.api.Table t) {
        for (var row : t) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (String c : t.columnNames()) m.put(c, row.getObject(c));
            System.out.println(object(m));
        }
    }

    /** Writes a finite number, null for NaN and the infinities; output only. */
    private abstract static class Finite<N extends Number> extends TypeAdapter<N> {
        abstract void writeFinite(JsonWriter out, N v) throws IOException;

        @Override
        public void write(JsonWriter out, N v) throws IOException {
            if (v == null || !Double.isFinite(v.doubleValue())) out.nullValue();
            else writeFinite(out, v);
        }

        @Override
        public N read(JsonReader in) {
            throw new UnsupportedOperationException("the command line only writes JSON");
        }
    }
}
