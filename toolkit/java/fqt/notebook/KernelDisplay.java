package fqt.notebook;

import fqt.memory.MemoryPlan;
import fqt.train.TrainingRun;
import java.util.List;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;
import tech.tablesaw.api.Table;

/**
 * Renderers the "Java (fqt-toolkit)" kernel (rapaio-jupyter-kernel) finds through its
 * {@code DisplayProvider} service: a cell ending in a Tablesaw table, a training run or a memory
 * plan shows an HTML table and aligned text instead of a whitespace-collapsed string. Other Java
 * kernels ignore this class; there, use {@code display("text/plain", table.printAll())}.
 */
public final class KernelDisplay implements DisplayProvider {
    @Override
    public List<DisplayRenderer> getDisplayRenderers() {
        return List.of(new Renderer(Table.class), new Renderer(TrainingRun.class), new Renderer(MemoryPlan.class));
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of();
    }

    /** Text and HTML for one of the toolkit's result types. */
    private record Renderer(Class<?> type) implements DisplayRenderer {
        @Override public Class<?> rendererClass() { return type; }

        @Override
        public boolean canRender(String mime) {
            return mime == null || mime.startsWith("text/html") || mime.startsWith("text/plain");
        }

        @Override
        public DisplayData render(String mime, Object o) {
            Table table = o instanceof Table t ? t : o instanceof TrainingRun r ? r.epochs() : ((MemoryPlan) o).table();
            String title = o instanceof Table ? "" : o.toString();
            DisplayData d = DisplayData.fromText((title.isEmpty() ? "" : title + "\n") + table.printAll());
            d.putHTML((title.isEmpty() ? "" : "<pre>" + escape(title) + "</pre>") + html(table));
            return d;
        }
    }

    /** A plain HTML table with the column names as header. */
    static String html(Table t) {
        StringBuilder sb = new StringBuilder("<table><thead><tr>");
        for (String c : t.columnNames()) sb.append("<th>").append(escape(c)).append("</th>");
        sb.append("</tr></thead><tbody>");
        for (int r = 0; r < t.rowCount(); r++) {
            sb.append("<tr>");
            for (int c = 0; c < t.columnCount(); c++) sb.append("<td>").append(escape(t.getString(r, c))).append("</td>");
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
