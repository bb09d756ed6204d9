package fqt.notebooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an executed notebook shows: the lines of its outputs that should not be there, and the
 * figures its cells state as {@code claim: name = value} lines for NotebooksTest to check.
 */
record NotebookOutputs(List<String> problems, Map<String, Double> claims) {
    static final Pattern UUID = Pattern.compile("\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*");
    static final Pattern DJL_LOG = Pattern.compile(".*\\b(INFO|WARN|DEBUG)\\b.*\\bai\\.djl\\..*");
    static final Pattern CUDA = Pattern.compile("(?i).*\\bcuda\\b.*");
    static final Pattern CLAIM = Pattern.compile("claim: (\\w+) = (\\S+)");

    static NotebookOutputs read(String notebookJson) {
        List<String> problems = new ArrayList<>();
        Map<String, Double> claims = new LinkedHashMap<>();
        JsonArray cells = JsonParser.parseString(notebookJson).getAsJsonObject().getAsJsonArray("cells");
        for (int c = 0; c < cells.size(); c++) {
            JsonObject cell = cells.get(c).getAsJsonObject();
            if (!cell.has("outputs")) continue;
            for (JsonElement o : cell.getAsJsonArray("outputs")) {
                JsonObject out = o.getAsJsonObject();
                String where = "cell " + c + ": ";
                if ("stream".equals(text(out.get("output_type"))) && "stderr".equals(text(out.get("name")))) {
                    problems.add(where + "writes to stderr: " + first(text(out.get("text"))));
                }
                for (String line : lines(out)) {
                    if (UUID.matcher(line).matches()) problems.add(where + "a UUID line (a display(...) call's value): " + line);
                    else if (DJL_LOG.matcher(line).matches()) problems.add(where + "a DJL log line: " + line);
                    else if (CUDA.matcher(line).matches()) problems.add(where + "a CUDA message: " + line);
                    Matcher m = CLAIM.matcher(line.trim());
                    if (m.matches()) claims.put(m.group(1), Double.valueOf(m.group(2)));
                }
            }
        }
        return new NotebookOutputs(problems, claims);
    }

    /** The text lines of one output: a stream's text and a result's text/plain. */
    private static List<String> lines(JsonObject out) {
        StringBuilder sb = new StringBuilder();
        if (out.has("text")) sb.append(text(out.get("text")));
        if (out.has("data") && out.getAsJsonObject("data").has("text/plain")) {
            sb.append('\n').append(text(out.getAsJsonObject("data").get("text/plain")));
        }
        return List.of(sb.toString().split("\\R"));
    }

    /** nbformat stores text as a string or as a list of lines. */
    private static String text(JsonElement e) {
        if (e == null || e.isJsonNull()) return "";
        if (e.isJsonPrimitive()) return e.getAsString();
        StringBuilder sb = new StringBuilder();
        for (JsonElement part : e.getAsJsonArray()) sb.append(part.getAsString());
        return sb.toString();
    }

    private static String first(String s) {
        String line = s.strip().split("\\R", 2)[0];
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
