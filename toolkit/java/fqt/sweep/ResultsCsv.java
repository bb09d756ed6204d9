package fqt.sweep;

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
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The results file of a sweep: a header line, then one line per finished run, each appended in a
 * single write and forced to the file as the run finishes. Opening an existing file reads the
 * finished runs and cuts off a half-written last line (a killed sweep), so a rerun resumes.
 * Commons CSV quotes and parses the fields; line breaks inside a field become spaces, so a run is one line.
 * Resuming is ours: a CSV library reads and writes records, it does not repair a file whose writer was killed.
 */
final class ResultsCsv implements AutoCloseable {
    private final Path path;
    private final List<String> header;
    private final FileChannel out;
    private final List<Map<String, String>> rows = new ArrayList<>();
    private final boolean repaired;
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

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
            List<CSVRecord> records = FORMAT.parse(new StringReader(new String(bytes, 0, complete, StandardCharsets.UTF_8))).getRecords();
            if (records.isEmpty()) {
                write(format(header));
            } else {
                List<String> found = records.get(0).toList();
                if (!found.equals(header)) {
                    throw new IllegalArgumentException(path + " has the columns " + found + ", this sweep writes " + header
                            + ": use another file");
                }
                for (CSVRecord r : records.subList(1, records.size())) rows.add(row(r));
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

    private Map<String, String> row(CSVRecord r) {
        List<String> values = r.toList();
        if (values.size() != header.size()) {
            throw new IllegalArgumentException(path + " line " + r.getRecordNumber() + ": " + values.size() + " fields, the header has " + header.size());
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) row.put(header.get(i), values.get(i));
        return row;
    }

    private static int lastNewline(byte[] b) {
        for (int i = b.length - 1; i >= 0; i--) if (b[i] == '\n') return i;
        return -1;
    }

    private static String format(List<String> values) {
        return FORMAT.format(values.stream().map(v -> v == null ? "" : v.replace('\n', ' ').replace('\r', ' ')).toArray());
    }
}
