package fqt.notebook;

import fqt.memory.MemoryPlan;
import fqt.train.TrainingRun;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Renderers the "Java (fqt-toolkit)" kernel (rapaio-jupyter-kernel) finds through its
 * {@code DisplayProvider} service: a cell ending in a Tablesaw table, a training run, a memory
 * plan or a {@link Text} shows aligned text and an HTML table instead of a whitespace-collapsed
 * string. Numbers show 4 significant digits and grouped thousands; a table shows its first
 * {@link #PREVIEW_ROWS} rows (its data are not changed: {@code table.printAll()} prints every row
 * as stored). Other Java kernels ignore this class and print {@code toString()}.
 */
public final class KernelDisplay implements DisplayProvider {
    /** Rows of a Tablesaw table a cell shows; a run's epochs and a plan's buffers show in full. */
    public static final int PREVIEW_ROWS = 10;

    @Override
    public List<DisplayRenderer> getDisplayRenderers() {
        return List.of(new TableRenderer(Table.class), new TableRenderer(TrainingRun.class), new TableRenderer(MemoryPlan.class), new TextRenderer());
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of();
    }

    private record TextRenderer() implements DisplayRenderer {
        @Override public Class<?> rendererClass() { return Text.class; }
        @Override public boolean canRender(String mime) { return mime == null || mime.startsWith("text/plain"); }
        @Override public DisplayData render(String mime, Object o) { return DisplayData.fromText(o.toString()); }
    }

    /** Text and HTML for a table or one of the toolkit's results that carry one. */
    private record TableRenderer(Class<?> type) implements DisplayRenderer {
        @Override public Class<?> rendererClass() { return type; }

        @Override
        public boolean canRender(String mime) {
            return mime == null || mime.startsWith("text/html") || mime.startsWith("text/plain");
        }

        @Override
        public DisplayData render(String mime, Object o) {
            Table table = o instanceof Table t ? t : o instanceof TrainingRun r ? r.epochs() : ((MemoryPlan) o).table();
            int rows = o instanceof Table ? Math.min(PREVIEW_ROWS, table.rowCount()) : table.rowCount();
            String title = o instanceof Table ? java.util.Objects.toString(table.name(), "") : o.toString();
            String more = rows < table.rowCount()
                    ? String.format(Locale.ROOT, "first %d of %,d rows (printAll() for every row)", rows, table.rowCount()) : "";
            DisplayData d = DisplayData.fromText(join(title, text(table, rows), more));
            d.putHTML(join(pre(title), html(table, rows), pre(more)));
            return d;
        }
    }

    /** A number with 4 significant digits, integers and values from 1000 up whole with grouped thousands. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
        double a = Math.abs(v);
        if (a >= 1000 || (v == Math.rint(v) && a < 1e15)) return String.format(Locale.ROOT, "%,.0f", v);
        if (a < 1e-3 && a > 0) return String.format(Locale.ROOT, "%.3e", v);
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    static String cell(Table t, int row, int col) {
        Column<?> c = t.column(col);
        if (c.isMissing(row)) return "";
        return c instanceof NumericColumn<?> n ? number(n.getDouble(row)) : c.getString(row);
    }

    /** The first rows of a table as aligned text: numbers right-aligned, text left-aligned. */
    static String text(Table t, int rows) {
        int cols = t.columnCount();
        String[][] cells = new String[rows + 1][cols];
        int[] width = new int[cols];
        for (int c = 0; c < cols; c++) {
            cells[0][c] = t.column(c).name();
            for (int r = 0; r < rows; r++) cells[r + 1][c] = cell(t, r, c);
            for (String[] line : cells) width[c] = Math.max(width[c], line[c].length());
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : cells) {
            StringBuilder row = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                boolean right = t.column(c) instanceof NumericColumn<?>;
                String pad = " ".repeat(width[c] - line[c].length());
                row.append(c == 0 ? "" : "  ").append(right ? pad + line[c] : line[c] + pad);
            }
            sb.append(sb.length() == 0 ? "" : "\n").append(row.toString().stripTrailing());
        }
        return sb.toString();
    }

    /** The first rows of a table as a plain HTML table with the column names as header. */
    static String html(Table t, int rows) {
        StringBuilder sb = new StringBuilder("<table><thead><tr>");
        for (String c : t.columnNames()) sb.append("<th>").append(escape(c)).append("</th>");
        sb.append("</tr></thead><tbody>");
        for (int r = 0; r < rows; r++) {
            sb.append("<tr>");
            for (int c = 0; c < t.columnCount(); c++) {
                String align = t.column(c) instanceof NumericColumn<?> ? " style=\"text-align:right\"" : "";
                sb.append("<td").append(align).append('>').append(escape(cell(t, r, c))).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    private static String join(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) if (!p.isEmpty()) sb.append(sb.length() == 0 ? "" : "\n").append(p);
        return sb.toString();
    }

    private static String pre(String s) {
        return s.isEmpty() ? "" : "<pre>" + escape(s) + "</pre>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
