package fqt.plot;

import fqt.cost.OpCounts;
import fqt.memory.Kind;
import fqt.memory.MemoryPlan;
import fqt.nn.Model;
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * The toolkit's figures as XChart charts (to restyle, or to save as SVG with {@link Plots#save});
 * {@link Plots} renders them to images. Every chart has a title and axis labels with units.
 */
public final class Charts {
    private Charts() {}

    static final int WIDTH = 800, HEIGHT = 500;

    /** Training loss per optimizer step against samples seen, one line per run (moving average over ~2% of the steps). */
    public static XYChart lossCurves(Map<String, TrainingRun> runs) {
        XYChart c = xy("Training loss", "training samples seen", "loss (cross-entropy, nats)");
        int i = 0;
        for (Map.Entry<String, TrainingRun> e : runs.entrySet()) {
            Table h = e.getValue().history();
            double[] loss = h.doubleColumn("loss").asDoubleArray();
            XYSeries s = c.addSeries(e.getKey(), samples(h), movingAverage(loss, window(h)));
            s.setMarker(SeriesMarkers.NONE).setLineColor(color(i++));
        }
        return roundTicks(c);
    }

    /**
     * Loss of the simulated run (line) and of a board's run ({@code fqt.board.Device#log()},
     * markers), per optimizer step: the board's per-sample losses are averaged over the
     * simulator's batches. The title gives the largest difference of the two, so a bit-exact
     * board, whose markers sit on the line, is seen to be one.
     */
    public static XYChart simVsDeviceLoss(TrainingRun sim, Table device) {
        Table h = sim.history();
        double[] simLoss = h.doubleColumn("loss").asDoubleArray();
        double[][] dev = deviceSteps(h, device);
        XYChart c = xy("Training loss, simulator and board (" + difference(simLoss, dev[1]) + ")", "training samples seen", "loss (cross-entropy, nats)");
        int window = window(h);
        c.addSeries("simulator", samples(h), movingAverage(simLoss, window)).setMarker(SeriesMarkers.NONE).setLineColor(color(0));
        board(c.addSeries("board (markers)", dev[0], movingAverage(dev[1], window)));
        return roundTicks(c);
    }

    /**
     * Training accuracy over a trailing window of steps (about 2% of the run, at least 64 samples)
     * of the simulated run (line) and of a board's run (markers), epoch boundaries marked.
     */
    public static XYChart simVsDeviceAccuracy(TrainingRun sim, Table device) {
        Table h = sim.history();
        double[][] steps = steps(h), dev = deviceSteps(h, device);
        double[] simAcc = windowAccuracy(steps[1], steps[2], window(h)), devAcc = windowAccuracy(dev[2], dev[3], window(h));
        XYChart c = xy("Training accuracy, simulator and board (" + difference(simAcc, devAcc) + ")", "training samples seen",
                "training accuracy (%, trailing window)");
        c.addSeries("simulator", samples(h), simAcc).setMarker(SeriesMarkers.NONE).setLineColor(color(0));
        board(c.addSeries("board (markers)", dev[0], devAcc));
        markEpochs(c, h);
        return roundTicks(c);
    }

    /** Instructions per training sample on the board, per phase (forward, backward, update, selection). */
    public static XYChart devicePhases(Table device) {
        XYChart c = xy("Instructions per training sample on the board, per phase", "training sample", "instructions per sample");
        c.getStyler().setYAxisDecimalPattern("#,###");
        double[] x = device.longColumn("sample").asDoubleArray();
        int i = 0;
        for (String phase : new String[] {"forward", "backward", "update", "selection"}) {
            c.addSeries(phase, x, device.longColumn(phase + "_instructions").asDoubleArray()).setMarker(SeriesMarkers.NONE)
                    .setLineColor(color(i++));
        }
        return roundTicks(c);
    }

    /**
     * XChart puts the ticks of an x axis whose values are all equally spaced (samples seen at a
     * fixed batch size, say) on that grid, and their labels run together. One hidden point off
     * the grid, half a unit left of the first, lets it choose round ticks.
     */
    public static XYChart roundTicks(XYChart c) {
        double x = Double.MAX_VALUE, y = 0;
        for (XYSeries s : c.getSeriesMap().values()) {
            if (s.getXData().length > 0 && s.getXData()[0] < x) {
                x = s.getXData()[0];
                y = s.getYData()[0];
            }
        }
        if (x == Double.MAX_VALUE) return c;
        XYSeries hidden = c.addSeries(" ", new double[] {x - 0.5}, new double[] {y});
        hidden.setShowInLegend(false);
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setLineColor(new Color(0, 0, 0, 0));
        return c;
    }

    /** "equal at every step" or the largest difference of two curves over the steps both have. */
    private static String difference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max == 0 ? "equal at every step" : String.format(Locale.ROOT, "largest difference %.3g", max);
    }

    private static void board(XYSeries s) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.CIRCLE).setMarkerColor(color(1));
    }

    /** A dashed vertical line at the end of every epoch but the last. */
    private static void markEpochs(XYChart c, Table h) {
        int[] epoch = h.intColumn("epoch").asIntArray();
        double[] x = samples(h);
        boolean first = true;
        for (int i = 1; i < epoch.length; i++) {
            if (epoch[i] == epoch[i - 1]) continue;
            XYSeries s = c.addSeries(first ? "epoch boundary" : "epoch " + epoch[i], new double[] {x[i - 1], x[i - 1]}, new double[] {0, 100});
            s.setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY).setLineStyle(DASHED);
            s.setShowInLegend(first);
            first = false;
        }
    }

    private static final java.awt.BasicStroke DASHED = new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT,
            java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    /**
     * The board's log at the simulator's steps: {samples seen, mean loss of the step's samples,
     * samples in the step, correct among them}, up to the rows the board has.
     */
    private static double[][] deviceSteps(Table history, Table device) {
        long[] ends = history.longColumn("samples").asLongArray();
        double[] loss = device.doubleColumn("loss").asDoubleArray();
        int[] correct = device.intColumn("correct").asIntArray();
        List<double[]> steps = new ArrayList<>();
        int row = 0;
        for (long end : ends) {
            double sum = 0, right = 0;
            int n = 0;
            for (; row < loss.length && row < end; row++, n++) {
                sum += loss[row];
                right += correct[row];
            }
            if (n == 0) break;
            steps.add(new double[] {end, sum / n, n, right});
        }
        double[][] out = new double[4][steps.size()];
        for (int i = 0; i < steps.size(); i++) for (int j = 0; j < 4; j++) out[j][i] = steps.get(i)[j];
        return out;
    }

    /**
     * A run's steps: {samples seen, samples in the step, correct among them}, the counts recovered
     * from the running accuracy of each epoch that the history records.
     */
    private static double[][] steps(Table h) {
        long[] seen = h.longColumn("samples").asLongArray();
        int[] epoch = h.intColumn("epoch").asIntArray();
        double[] acc = h.doubleColumn("train_acc").asDoubleArray();
        double[][] out = new double[3][seen.length];
        long epochStart = 0;
        double correctBefore = 0;
        for (int i = 0; i < seen.length; i++) {
            if (i > 0 && epoch[i] != epoch[i - 1]) {
                epochStart = seen[i - 1];
                correctBefore = 0;
            }
            double correct = Math.rint(acc[i] * (seen[i] - epochStart));
            out[0][i] = seen[i];
            out[1][i] = seen[i] - (i == 0 ? 0 : seen[i - 1]);
            out[2][i] = correct - correctBefore;
            correctBefore = correct;
        }
        return out;
    }

    /** Percent correct over the trailing {@code window} steps, at least 64 samples where the run has them. */
    private static double[] windowAccuracy(double[] size, double[] correct, int window) {
        double[] out = new double[size.length];
        for (int i = 0; i < size.length; i++) {
            double n = 0, right = 0;
            for (int j = i; j >= 0 && (j > i - window || n < 64); j--) {
                n += size[j];
                right += correct[j];
            }
            out[i] = 100 * right / n;
        }
        return out;
    }

    /** Training accuracy over a trailing window of steps (line), test accuracy at each epoch's end (marker), per run; epoch boundaries marked. */
    public static XYChart accuracyCurves(Map<String, TrainingRun> runs) {
        XYChart c = xy("Accuracy during training (train: trailing window; test: at each epoch's end)", "training samples seen", "accuracy (%)");
        c.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        int i = 0;
        for (Map.Entry<String, TrainingRun> e : runs.entrySet()) {
            Table h = e.getValue().history();
            Color col = color(i++);
            double[][] steps = steps(h);
            c.addSeries(e.getKey() + " train", samples(h), windowAccuracy(steps[1], steps[2], window(h))).setMarker(SeriesMarkers.NONE).setLineColor(col);
            Table ends = h.where(h.doubleColumn("test_acc").isNotMissing());
            if (ends.rowCount() == 0) continue;
            XYSeries test = c.addSeries(e.getKey() + " test", samples(ends), percent(ends.doubleColumn("test_acc").asDoubleArray()));
            test.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.DIAMOND).setMarkerColor(col);
        }
        if (!runs.isEmpty()) markEpochs(c, runs.values().iterator().next().history());
        return roundTicks(c);
    }

    /**
     * Training samples per second against forward MACs per sample (one point per network), log-log,
     * one line per batch size: a table of {@code ./fqt bench curve} (forward_macs, batch,
     * samples_per_second), measured with {@code threads} threads.
     */
    public static XYChart throughputCurve(Table curve, int threads) {
        XYChart c = xy("UINT8 training throughput of the simulator (" + threads + " thread" + (threads == 1 ? "" : "s") + ")",
                "forward MACs per sample (log)", "training samples per second (log)");
        c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        int i = 0;
        for (Map.Entry<String, Table> g : groups(curve, "batch").entrySet()) {
            Table t = g.getValue().sortAscendingOn("forward_macs");
            Color col = color(i++);
            c.addSeries("batch " + g.getKey(), numbers(t, "forward_macs"), numbers(t, "samples_per_second")).setMarkerColor(col).setLineColor(col);
        }
        return c;
    }

    /** Test accuracy against the fraction of structures updated, one point per run of a sweep table, by precision. */
    public static XYChart accuracyVsUpdateRatio(Table sweep) {
        XYChart c = xy("Test accuracy vs update ratio", "structures updated (% of all, per sample)", "test accuracy (%)");
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        int i = 0;
        for (Map.Entry<String, Table> g : groups(sweep, "precision").entrySet()) {
            Table t = g.getValue();
            c.addSeries(g.getKey(), percent(numbers(t, "update_fraction")), percent(numbers(t, "test_acc"))).setMarkerColor(color(i++));
        }
        return c;
    }

    /**
     * Backward-pass speedup of each value of {@code setting} (e.g. lambda_min) over full updates
     * (runs with update_fraction 1) of the same precision: mean backward MACs of the full runs over
     * the setting's mean backward MACs. Counted MACs, not time.
     */
    public static CategoryChart backwardSpeedup(Table sweep, String setting) {
        CategoryChart c = bars("Backward pass speedup over full updates", setting, "speedup (x, from counted backward MACs)");
        for (Map.Entry<String, Table> g : groups(sweep, "precision").entrySet()) {
            Table t = g.getValue();
            Table full = t.where(t.doubleColumn("update_fraction").isEqualTo(1.0));
            if (full.rowCount() == 0) continue;
            double base = mean(numbers(full, "backward_macs"));
            List<String> labels = new ArrayList<>();
            List<Double> speedup = new ArrayList<>();
            for (Map.Entry<String, Table> s : groups(t, setting).entrySet()) {
                labels.add(s.getKey());
                speedup.add(base / mean(numbers(s.getValue(), "backward_macs")));
            }
            c.addSeries(g.getKey(), labels, speedup);
        }
        if (c.getSeriesMap().isEmpty()) throw new IllegalArgumentException("the sweep has no run with full updates (update_fraction 1) to compare with");
        return c;
    }

    /**
     * Histograms of per-sample reconstruction errors (anomaly scores), one line per data set, over
     * {@code bins} equal bins from 0 to the largest score: the share of each set's samples per bin.
     */
    public static XYChart scoreHistogram(Map<String, float[]> scores, int bins) {
        XYChart c = xy("Reconstruction error per sample", "reconstruction error (MSE)", "samples (% of the set)");
        double max = 0;
        for (float[] v : scores.values()) for (float x : v) max = Math.max(max, x);
        if (!(max > 0)) throw new IllegalArgumentException("no positive score to bin");
        double width = max / bins;
        double[] centres = new double[bins];
        for (int b = 0; b < bins; b++) centres[b] = (b + 0.5) * width;
        int i = 0;
        for (Map.Entry<String, float[]> e : scores.entrySet()) {
            double[] share = new double[bins];
            for (float x : e.getValue()) share[Math.min(bins - 1, (int) (x / width))] += 100.0 / e.getValue().length;
            c.addSeries(e.getKey(), centres, share).setMarker(SeriesMarkers.NONE).setLineColor(color(i++));
        }
        roundTicks(c).getStyler().setXAxisMin(0.0).setYAxisMin(0.0);
        return c;
    }

    /** RAM of each plan by kind of buffer, stacked, in KiB. */
    public static CategoryChart memoryBreakdown(Map<String, MemoryPlan> plans) {
        CategoryChart c = bars("RAM arena by kind", "memory plan", "RAM (KiB)");
        c.getStyler().setStacked(true);
        List<String> labels = new ArrayList<>(plans.keySet());
        for (Kind k : Kind.values()) {
            List<Double> kib = plans.values().stream().map(p -> p.ramByKind().get(k) / 1024.0).toList();
            if (kib.stream().anyMatch(v -> v > 0)) c.addSeries(k.label(), labels, kib);
        }
        return c;
    }

    /** Forward, weight-gradient and error-propagation MACs of each layer with weights, for one sample with full updates. */
    public static CategoryChart layerOps(Model model, Training training) {
        CategoryChart c = bars("Operations per layer (one sample, full updates)", "layer", "multiply-accumulates per sample");
        Table t = OpCounts.layers(model, training.config());
        t = t.where(t.longColumn("forward_macs").isGreaterThan(0));
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) labels.add(t.intColumn("index").getInt(i) + ": " + t.stringColumn("layer").get(i));
        c.addSeries("forward", labels, list(numbers(t, "forward_macs")));
        c.addSeries("weight gradient", labels, list(numbers(t, "backward_weight_macs")));
        c.addSeries("error propagation", labels, list(numbers(t, "backward_error_macs")));
        c.getStyler().setXAxisLabelRotation(20);
        return c;
    }

    private static XYChart xy(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        style(c.getStyler());
        return c;
    }

    private static CategoryChart bars(String title, String x, String y) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        style(c.getStyler());
        c.getStyler().setSeriesColors(PALETTE);
        return c;
    }

    private static void style(Styler s) {
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
    }

    /** Colour-blind-safe (Okabe-Ito). */
    private static final Color[] PALETTE = {new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(86, 180, 233), new Color(213, 94, 0), new Color(240, 228, 66), new Color(0, 0, 0), new Color(120, 120, 120), new Color(170, 68, 153)};

    private static Color color(int i) { return PALETTE[i % PALETTE.length]; }

    /** Rows by the text of one column, in first-seen order; one group "all" when the column is absent. */
    private static Map<String, Table> groups(Table t, String column) {
        Map<String, Table> g = new LinkedHashMap<>();
        if (!t.columnNames().contains(column)) {
            g.put("all", t);
            return g;
        }
        for (String v : new LinkedHashSet<>(t.column(column).asStringColumn().asList())) {
            g.put(v, t.where(t.column(column).asStringColumn().isEqualTo(v)));
        }
        return g;
    }

    /** Steps in a moving average: about 2% of a run's. */
    private static int window(Table h) {
        return Math.max(1, h.rowCount() / 50);
    }

    private static double[] samples(Table h) {
        return h.longColumn("samples").asDoubleColumn().asDoubleArray();
    }

    private static double[] numbers(Table t, String column) {
        return ((NumericColumn<?>) t.column(column)).asDoubleArray();
    }

    private static List<Double> list(double[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    private static double[] percent(double[] v) {
        double[] p = new double[v.length];
        for (int i = 0; i < v.length; i++) p[i] = 100 * v[i];
        return p;
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double[] movingAverage(double[] v, int window) {
        double[] out = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            if (i >= window) sum -= v[i - window];
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    /**
     * The confusion matrix of an evaluation as a heat map: true class down (class 0 at the top),
     * predicted class across, each cell's sample count written in it.
     */
    public static org.knowm.xchart.HeatMapChart confusionMatrix(fqt.train.Evaluation e) {
        org.knowm.xchart.HeatMapChart c = new org.knowm.xchart.HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format("Confusion matrix: %s, accuracy %.2f %% (cells: samples)", e.data(), 100 * e.accuracy()))
                .xAxisTitle("predicted class").yAxisTitle("true class").build();
        style(c.getStyler());
        c.getStyler().setShowValue(true).setHeatMapValueDecimalPattern("0").setRangeColors(new Color[] {Color.WHITE, PALETTE[4]})
                .setLegendPosition(Styler.LegendPosition.OutsideE);
        int n = e.classes();
        int[][] m = e.confusion();
        List<Integer> predicted = new ArrayList<>(), truth = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            predicted.add(k);
            truth.add(n - 1 - k); // the y axis runs upwards
        }
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < n; t++) for (int p = 0; p < n; p++) cells.add(new Number[] {p, n - 1 - t, m[t][p]});
        c.addSeries("samples", predicted, truth, cells);
        return c;
    }
}
