package fqt.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Fixed-length windows cut from multichannel time series in CSV files (sensor recordings such as
 * vibration signals for bearing faults or accelerometer data for activity recognition).
 *
 * <p>Each row is one time step. One column holds the class label; every other column is a
 * channel. A window covers {@code window} consecutive rows; windows start every {@code stride}
 * rows (overlapping when {@code stride < window}); a trailing part shorter than a window is
 * dropped. <b>A window's label is the label of its last row</b>, i.e. the class in force at the
 * moment a streaming classifier would decide. Each file is one continuous recording: windows
 * never span two files. Samples have shape {@code {channels, 1, window}}.
 *
 * <p>Format: one row per line, cells separated by {@link #delimiter(char)} (default {@code ,}) and
 * quoted as in RFC 4180 (read by Commons CSV: a quoted cell may hold the delimiter), whitespace
 * around a cell and inside its quotes removed. Blank lines are skipped. Labels are integers {@code 0..classes-1} (written
 * {@code 3} or {@code 3.0}) or, after {@link #labelNames(String...)}, one of the given names.
 * Every cell is checked: a non-numeric, NaN or infinite value, a row with a different number of
 * cells, and a file shorter than one window are errors naming the file, line and column.
 *
 * <p>Standardization (per channel, {@code (x - mean) / std}) is computed over all rows of the
 * data it is given. Compute it on the training data and pass the result when reading the test
 * data, so both are scaled the same way:
 * <pre>{@code
 * CsvWindows csv = CsvWindows.of(128, 64).labelColumn("fault").classes(4);
 * CsvWindows.Standardized train = csv.readStandardized(trainFile);
 * Dataset test = csv.read(train.standardization(), testFile);
 * }</pre>
 *
 * Instances are immutable; the configuration methods return modified copies.
 */
public final class CsvWindows {
    private final int window, stride;
    private final boolean header;
    private final String labelName;      // label column by header name, or null
    private final int labelIndex;        // label column by 0-based index; -1 = last column
    private final int classes;           // 0 = one more than the largest label found
    private final List<String> labelNames; // text labels, or null for integer labels
    private final char delimiter;

    /** Per-channel mean and standard deviation (a constant channel gets std 1, so it maps to 0). */
    public record Standardization(float[] mean, float[] std) {
        public Standardization {
            if (mean.length != std.length) {
                throw new IllegalArgumentException(mean.length + " means but " + std.length + " standard deviations");
            }
            for (float s : std) {
                if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException("standard deviation " + s + " must be positive and finite");
            }
            mean = mean.clone();
            std = std.clone();
        }
        @Override public float[] mean() { return mean.clone(); }
        @Override public float[] std() { return std.clone(); }
        public int channels() { return mean.length; }
        @Override public String toString() { return "Standardization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]"; }
    }

    /** Standardized windows and the statistics that were used (computed on those same data). */
    public record Standardized(Dataset dataset, Standardization standardization) {}

    private CsvWindows(int window, int stride, boolean header, String labelName, int labelIndex,
                       int classes, List<String> labelNames, char delimiter) {
        this.window = window;
        this.stride = stride;
        this.header = header;
        this.labelName = labelName;
        this.labelIndex = labelIndex;
        this.classes = classes;
        this.labelNames = labelNames;
        this.delimiter = delimiter;
    }

    /**
     * Windows of {@code window} rows every {@code stride} rows. Defaults: a header row is present,
     * the label is the last column, integer labels, classes inferred, comma-separated.
     */
    public static CsvWindows of(int window, int stride) {
        if (window < 1 || stride < 1) {
            throw new IllegalArgumentException("window (" + window + ") and stride (" + stride + ") must be at least 1");
        }
        return new CsvWindows(window, stride, true, null, -1, 0, null, ',');
    }

    /** Whether the first non-blank line of each file is a header of column names. */
    public CsvWindows header(boolean present) {
        if (!present && labelName != null) {
            throw new IllegalArgumentException("label column '" + labelName + "' is named, which needs a header");
        }
        return new CsvWindows(window, stride, present, labelName, labelIndex, classes, labelNames, delimiter);
    }

    /** The label column by its header name (implies a header). */
    public CsvWindows labelColumn(String name) {
        return new CsvWindows(window, stride, true, name, -1, classes, labelNames, delimiter);
    }

    /** The label column by 0-based index. */
    public CsvWindows labelColumn(int index) {
        if (index < 0) throw new IllegalArgumentException("label column index " + index + " is negative");
        return new CsvWindows(window, stride, header, null, index, classes, labelNames, delimiter);
    }

    /**
     * Number of classes; labels must be below it. Set it when reading train and test separately,
     * otherwise each infers its own count and a test set lacking the last class will not match.
     */
    public CsvWindows classes(int n) {
        if (n < 1) throw new IllegalArgumentException("classes " + n + " must be at least 1");
        if (labelNames != null && n != labelNames.size()) {
            throw new IllegalArgumentException("classes " + n + " contradicts the " + labelNames.size() + " label names");
        }
        return new CsvWindows(window, stride, header, labelName, labelIndex, n, labelNames, delimiter);
    }

    /** Text labels: a label cell must equal one of {@code names}; its position is the class. */
    public CsvWindows labelNames(String... names) {
        List<String> l = List.of(names);
        if (l.isEmpty() || l.stream().distinct().count() != l.size()) {
            throw new IllegalArgumentException("label names must be distinct and not empty: " + l);
        }
        return new CsvWindows(window, stride, header, labelName, labelIndex, l.size(), l, delimiter);
    }

    /** The cell separator, e.g. {@code ';'} or {@code '\t'}. */
    public CsvWindows delimiter(char d) {
        return new CsvWindows(window, stride, header, labelName, labelIndex, classes, labelNames, d);
    }

    /** Windows of the raw values. */
    public Dataset read(Path... files) {
        return windows(parseAll(files), null);
    }

    /** Windows standardized with statistics computed over all rows of {@code files}. */
    public Standardized readStandardized(Path... files) {
        List<Table> tables = parseAll(files);
        Standardization s = statistics(tables);
        return new Standardized(windows(tables, s), s);
    }

    /** Windows standardized with given statistics, typically those of the training data. */
    public Dataset read(Standardization standardization, Path... files) {
        List<Table> tables = parseAll(files);
        int channels = tables.get(0).channels;
        if (standardization.channels() != channels) {
            throw new IllegalArgumentException(tables.get(0).file + ": " + channels + " channels, but the standardization is for "
                    + standardization.channels());
        }
        return windows(tables, standardization);
    }

    /** One parsed file: {@code rows x channels} values row-major, one label per row. */
    private record Table(Path file, List<String> channelNames, int rows, int channels, float[] values, int[] labels) {}

    private List<Table> parseAll(Path[] files) {
        if (files.length == 0) throw new IllegalArgumentException("no CSV files given");
        List<Table> tables = new ArrayList<>();
        for (Path f : files) {
            Table t = parse(f);
            Table first = tables.isEmpty() ? t : tables.get(0);
            if (t.channels != first.channels || !t.channelNames.equals(first.channelNames)) {
                throw new IllegalArgumentException(f + ": channels " + t.channelNames + " differ from " + first.channelNames
                        + " of " + first.file);
            }
            tables.add(t);
        }
        return tables;
    }

    private Table parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException("CSV file not found: " + file, new NoSuchFileException(file.toString()));
        }
        String[] names = null;    // column names, from the header or "column i"
        int label = -1, cols = -1, rows = 0;
        float[] values = new float[1024];
        int[] labels = new int[256];
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser csv = format().parse(skipByteOrderMark(in))) {
            for (CSVRecord record : csv) {
                int lineNo = (int) csv.getCurrentLineNumber();
                if (record.size() == 1 && record.get(0).isEmpty()) continue; // a line of spaces
                String[] cells = record.values();
                if (names == null) {
                    cols = cells.length;
                    names = new String[cols];
                    for (int c = 0; c < cols; c++) names[c] = header ? cells[c] : "column " + c;
                    label = labelColumn(file, names);
                    if (cols < 2) throw new IllegalArgumentException(file + ": line " + lineNo + " has " + cols + " cell; need at least one channel and the label");
                    if (header) continue;
                }
                if (cells.length != cols) {
                    throw new IllegalArgumentException(file + ": line " + lineNo + " has " + cells.length + " cells, expected " + cols
                            + (header ? " as in the header" : " as in the first row"));
                }
                int channels = cols - 1;
                if ((long) (rows + 1) * channels > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(file + ": too many values");
                if ((rows + 1) * channels > values.length) values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8, 2L * values.length + channels));
                if (rows == labels.length) labels = Arrays.copyOf(labels, 2 * rows);
                int k = rows * channels;
                for (int c = 0; c < cols; c++) {
                    if (c == label) {
                        labels[rows] = parseLabel(file, lineNo, names[c], cells[c]);
                    } else {
                        values[k++] = parseValue(file, lineNo, names[c], cells[c]);
                    }
                }
                rows++;
            }
        } catch (UncheckedIOException e) { // Commons CSV's iterator: a quote never closed
            throw new IllegalArgumentException(file + ": " + e.getCause().getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (names == null) throw new IllegalArgumentException(file + ": no data");
        if (rows < window) {
            throw new IllegalArgumentException(file + ": " + rows + " data rows, fewer than one window of " + window);
        }
        List<String> channelNames = new ArrayList<>(Arrays.asList(names));
        channelNames.remove(label);
        return new Table(file, channelNames, rows, cols - 1, values, labels);
    }

    private static BufferedReader skipByteOrderMark(BufferedReader in) throws IOException {
        in.mark(1);
        if (in.read() != '\uFEFF') in.reset();
        return in;
    }

    /** Cells split at the delimiter, quotes as in RFC 4180, spaces around a cell and inside its quotes dropped. */
    private CSVFormat format() {
        return CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreSurroundingSpaces(true).setTrim(true).get();
    }

    private int labelColumn(Path file, String[] names) {
        if (labelName != null) {
            int i = Arrays.asList(names).indexOf(labelName);
            if (i < 0) throw new IllegalArgumentException(file + ": no label column '" + labelName + "' in the header " + Arrays.toString(names));
            return i;
        }
        if (labelIndex >= names.length) {
            throw new IllegalArgumentException(file + ": label column index " + labelIndex + ", but rows have " + names.length + " cells");
        }
        return labelIndex < 0 ? names.length - 1 : labelIndex;
    }

    private static float parseValue(Path file, int lineNo, String column, String cell) {
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": line " + lineNo + ", column '" + column + "': '" + cell + "' is not a number");
        }
        // float cast too: a double beyond float range would become infinite
        if (!Double.isFinite(v) || !Float.isFinite((float) v)) {
            throw new IllegalArgumentException(file + ": line " + lineNo + ", column '" + column + "': " + cell + " is not a finite float");
        }
        return (float) v;
    }

    private int parseLabel(Path file, int lineNo, String column, String cell) {
        String where = file + ": line " + lineNo + ", label column '" + column + "': ";
        if (labelNames != null) {
            int i = labelNames.indexOf(cell);
            if (i < 0) throw new IllegalArgumentException(where + "'" + cell + "' is not one of " + labelNames);
            return i;
        }
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "'" + cell + "' is not an integer class (set labelNames for text labels)");
        }
        if (v != Math.rint(v) || v < 0 || v >= (classes > 0 ? classes : Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(where + cell + " is not a class in [0, " + (classes > 0 ? classes : "inf") + ")");
        }
        return (int) v;
    }

    /** Mean and population standard deviation of each channel over every row of every table. */
    private static Standardization statistics(List<Table> tables) {
        int channels = tables.get(0).channels;
        double[] sum = new double[channels], sq = new double[channels];
        long n = 0;
        for (Table t : tables) {
            for (int r = 0; r < t.rows; r++) {
                for (int c = 0; c < channels; c++) sum[c] += t.values[r * channels + c];
            }
            n += t.rows;
        }
        float[] mean = new float[channels], std = new float[channels];
        for (int c = 0; c < channels; c++) mean[c] = (float) (sum[c] / n);
        // Second pass around the mean: numerically safer than sum of squares minus squared mean.
        for (Table t : tables) {
            for (int r = 0; r < t.rows; r++) {
                for (int c = 0; c < channels; c++) {
                    double d = t.values[r * channels + c] - sum[c] / n;
                    sq[c] += d * d;
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            double s = Math.sqrt(sq[c] / n);
            std[c] = s > 1e-12 && Float.isFinite((float) s) && (float) s > 0 ? (float) s : 1f;
        }
        return new Standardization(mean, std);
    }

    private Dataset windows(List<Table> tables, Standardization s) {
        int channels = tables.get(0).channels;
        long count = 0;
        int maxLabel = -1;
        for (Table t : tables) {
            count += (t.rows - window) / stride + 1;
            for (int r = 0; r < t.rows; r++) maxLabel = Math.max(maxLabel, t.labels[r]);
        }
        if (count * channels * window > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(tables.get(0).file + ": " + count + " windows of " + channels + " x " + window
                    + " are too many values for one array; use a larger stride");
        }
        float[] mean = s == null ? new float[channels] : s.mean;
        float[] std = s == null ? filled(channels, 1f) : s.std;
        int size = channels * window;
        float[] f = new float[(int) count * size];
        int[] labels = new int[(int) count];
        int k = 0;
        for (Table t : tables) {
            for (int start = 0; start + window <= t.rows; start += stride, k++) {
                for (int c = 0; c < channels; c++) {
                    for (int i = 0; i < window; i++) {
                        f[k * size + c * window + i] = (t.values[(start + i) * channels + c] - mean[c]) / std[c];
                    }
                }
                labels[k] = t.labels[start + window - 1];
            }
        }
        String name = tables.get(0).file.getFileName().toString() + (tables.size() > 1 ? " +" + (tables.size() - 1) + " files" : "");
        return new Dataset(name, new int[] {channels, 1, window}, classes > 0 ? classes : maxLabel + 1, f, labels);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
