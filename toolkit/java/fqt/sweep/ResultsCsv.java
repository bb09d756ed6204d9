package fqt.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results file of a sweep: a header line, then one line per finished run, each appended in a
 * single write and forced to the file as the run finishes. Opening an existing file reads the
 * finished runs and cuts off a half-written last line (a killed sweep), so a rerun resumes.
 * Fields are quoted when they hold a comma or quote; line breaks inside a field become spaces.
 */
final class ResultsCsv implements AutoCloseable {
    private final Path path;
    private final List<String> header;
    private final FileChannel out;
    private final List<Map<String, String>> rows = new ArrayList<>();
    private final boolean repaired;

    /** Opens or creates {@code path} for rows with these columns; an existing file must have the same header. */
    ResultsCsv(Path path, List<String> header) {
        this.path = path;
        this.header = List.copyOf(header);
        try {
            if (path.getParent() != null) Files.createDirectories(path.getParent());
            out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            byte[] bytes = Files.readAllBytes(path);
            int complete = lastNewline(bytes) + 1;
            repaired = complete < bytes.length;
            out.truncate(complete); // drops a half-written last line
            out.position(complete);
            String[] lines = new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n", -1);
            if (complete == 0) {
                write(format(header));
            } else {
                List<String> found = parse(lines[0]);
                if (!found.equals(header)) {
                    throw new IllegalArgumentException(path + " has the columns " + found + ", this sweep writes " + header
                            + ": use another file");
                }
                for (int i = 1; i < lines.length - 1; i++) rows.add(row(lines[i], i + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the sweep results " + path, e);
        }
    }

    /** Rows already in the file, in file order. */
    List<Map<String, String>> rows() { return List.copyOf(rows); }

    /** Whether opening cut off a half-written last line. */
    boolean repaired() { return repaired; }

    /** Appends one row (its values in header order) as one line, on disk when this returns. */
    void append(Map<String, String> row) {
        List<String> values = new ArrayList<>();
        for (String c : header) values.add(row.get(c));
        write(format(values));
        rows.add(row);
    }

    private void write(String line) {
        try {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) out.write(b);
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the sweep results " + path, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> row(String line, int lineNumber) {
        List<String> values = parse(line);
        if (values.size() != header.size()) {
            throw new IllegalArgumentException(path + " line " + lineNumber + ": " + values.size() + " fields, the header has " + header.size());
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) row.put(header.get(i), values.get(i));
        return row;
    }

    private static int lastNewline(byte[] b) {
        for (int i = b.length - 1; i >= 0; i--) if (b[i] == '\n') return i;
        return -1;
    }

    static String format(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            if (sb.length() > 0) sb.append(',');
            String s = v == null ? "" : v.replace('\n', ' ').replace('\r', ' ');
            sb.append(s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
        }
        return sb.toString();
    }

    static List<String> parse(String line) {
        List<String> values = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                values.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        values.add(cur.toString());
        return values;
    }
}
