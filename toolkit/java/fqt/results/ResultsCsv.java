package fqt.results;

import java.io.IOException;
import java.io.StringReader;
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
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * A results file that a run appends to and a rerun resumes from (a sweep's runs, a device's
 * samples): a header line, then one line per result, appended and forced to the file as it is
 * measured. Opening an existing file reads the rows already there. A file is written to only once
 * it has proven to be of this kind: its first line is exactly the header, every complete line has
 * a field per column and a number in every numeric column; anything else is refused with the line
 * and column named, and the file stays byte for byte as it was. The one repair is a torn last line
 * (a killed writer): text after the last newline that could be the start of a row is cut off.
 * Commons CSV quotes and parses the fields; line breaks inside a field become spaces, so a row is one line.
 * Resuming is ours: a CSV library reads and writes records, it does not repair a file whose writer was killed.
 */
public final class ResultsCsv implements AutoCloseable {
    private final Path path;
    private final String kind;
    private final List<String> header;
    private final FileChannel out;
    private final List<Map<String, String>> rows = new ArrayList<>();
    private final boolean repaired;
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    /**
     * Opens or creates {@code path} for rows with these columns; an existing file must be a
     * {@code kind} file (named so in errors, e.g. "sweep results") of the same header, with a
     * number (or NaN) in each of the {@code numeric} columns.
     */
    public ResultsCsv(Path path, String kind, List<String> header, Set<String> numeric) {
        this.path = path;
        this.kind = kind;
        this.header = List.copyOf(header);
        try {
            byte[] bytes = Files.exists(path) ? Files.readAllBytes(path) : new byte[0];
            int complete = lastNewline(bytes) + 1;
            String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
            if (bytes.length > 0) {
                String first = format(header) + "\n";
                if (!text.startsWith(first)) {
                    String line = new String(bytes, StandardCharsets.UTF_8).split("[\r\n]", 2)[0];
                    throw new IllegalArgumentException(path + " is not a " + kind + " file: its first line is '" + shorten(line)
                            + "', " + kind + " files start '" + shorten(format(header)) + "'; the file is left as it was: use another file");
                }
                List<CSVRecord> records = FORMAT.parse(new StringReader(text)).getRecords();
                for (CSVRecord r : records.subList(1, records.size())) rows.add(row(r, numeric));
                String tail = new String(bytes, complete, bytes.length - complete, StandardCharsets.UTF_8);
                if (!tail.isEmpty() && !tornRow(tail)) {
                    throw new IllegalArgumentException(path + " ends in '" + shorten(tail) + "' after its last complete line, not the start of a row;"
                            + " the file is left as it was");
                }
            }
            repaired = complete < bytes.length;
            if (path.getParent() != null) Files.createDirectories(path.getParent());
            out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            out.truncate(complete); // drops a half-written last line
            out.position(complete);
            if (bytes.length == 0) write(format(header) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the " + kind + " file " + path, e);
        }
    }

    /** The file. */
    public Path path() { return path; }

    /** Rows in the file (those read on opening, then those appended), in file order. */
    public List<Map<String, String>> rows() { return List.copyOf(rows); }

    /** Whether opening cut off a half-written last line. */
    public boolean repaired() { return repaired; }

    /** Appends one row (column to value) as one line, on disk when this returns. */
    public void append(Map<String, String> row) {
        append(List.of(row));
    }

    /** Appends rows, one line each, in one write forced to disk once: for results that come in batches. */
    public void append(List<Map<String, String>> batch) {
        StringBuilder lines = new StringBuilder();
        for (Map<String, String> row : batch) {
            List<String> values = new ArrayList<>();
            for (String c : header) values.add(row.get(c));
            lines.append(format(values)).append('\n');
        }
        write(lines.toString());
        rows.addAll(batch);
    }

    private void write(String lines) {
        try {
            ByteBuffer b = ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) out.write(b);
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the " + kind + " file " + path, e);
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

    private Map<String, String> row(CSVRecord r, Set<String> numeric) {
        List<String> values = r.toList();
        if (values.size() != header.size()) {
            throw new IllegalArgumentException(path + " line " + r.getRecordNumber() + ": " + values.size() + " fields, the header has "
                    + header.size() + "; the file is left as it was");
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String c = header.get(i), v = values.get(i);
            if (numeric.contains(c) && !isNumber(v)) {
                throw new IllegalArgumentException(path + " line " + r.getRecordNumber() + ": " + c + " is '" + shorten(v)
                        + "', not a number; the file is left as it was");
            }
            row.put(c, v);
        }
        return row;
    }

    /** Whether {@code tail} (text after the last newline) could be the start of a row: no more fields than columns, no CR. */
    private boolean tornRow(String tail) {
        if (tail.indexOf('\r') >= 0) return false;
        try {
            List<CSVRecord> r = FORMAT.parse(new StringReader(tail)).getRecords();
            return r.size() <= 1 && (r.isEmpty() || r.get(0).size() <= header.size());
        } catch (IOException | IllegalStateException e) {
            return true; // an unterminated quoted field: a row cut inside a quoted value
        }
    }

    private static boolean isNumber(String v) {
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    private static int lastNewline(byte[] b) {
        for (int i = b.length - 1; i >= 0; i--) if (b[i] == '\n') return i;
        return -1;
    }

    private static String format(List<String> values) {
        return FORMAT.format(values.stream().map(v -> v == null ? "" : v.replace('\n', ' ').replace('\r', ' ')).toArray());
    }
}
