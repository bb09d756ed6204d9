package fqt.cli;

import java.util.Map;

/** One-line JSON objects from ordered maps of strings, numbers and booleans (all the CLI prints). */
final class Json {
    private Json() {}

    static String object(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (sb.length() > 1) sb.append(", ");
            sb.append(quote(e.getKey())).append(": ").append(value(e.getValue()));
        }
        return sb.append('}').toString();
    }

    private static String value(Object v) {
        if (v == null) return "null";
        if (v instanceof Double d) return d.isNaN() || d.isInfinite() ? "null" : d.toString(); // Java's form is valid JSON
        if (v instanceof Float f) return value(f.doubleValue());
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked") Map<String, ?> sm = (Map<String, ?>) m;
            return object(sm);
        }
        return quote(v.toString());
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                    else sb.append(ch);
                }
            }
        }
        return sb.append('"').toString();
    }
}
