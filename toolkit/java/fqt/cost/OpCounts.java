package fqt.cost;

import fqt.memory.Memory;
import fqt.memory.Memory.Role;
import fqt.nn.Layer;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.nn.WeightLayer;
import fqt.train.Training;
import fqt.train.TrainingConfig;
import fqt.train.TrainingRun;
import java.util.Arrays;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The operations the cost model counts for one training sample: forward and backward
 * multiply-accumulates, feature elements requantized (float32 multiply, round, clamp) and weight
 * updates:
 * <ul>
 *   <li>requantized, MIXED/UINT8 forward: every output element of a layer with weights;</li>
 *   <li>requantized, UINT8 backward: every input error a layer with weights propagates, and the loss error;</li>
 *   <li>weight updates, every precision: every trainable weight once per batch (the optimizer's
 *       step and, in MIXED/UINT8, its requantization), so {@code weights / batch} per sample.</li>
 * </ul>
 * Pooling, ReLU and softmax are not counted. Backward MACs with full updates: a trained layer's
 * weight gradient, plus its share of error propagation when a layer below it trains (the same
 * count as the simulator's {@code backward_macs}).
 */
public record OpCounts(double forwardMacs, double backwardMacs, double requantElements, double weightUpdates) {

    /** Counts of full updates, from the model's shapes and the training's settings. */
    public static OpCounts of(Model model, Training training) {
        Table t = layers(model, training.config());
        return new OpCounts(sum(t, "forward_macs"), sum(t, "backward_weight_macs") + sum(t, "backward_error_macs"),
                sum(t, "requant_elements"), sum(t, "weight_updates"));
    }

    /**
     * Counts of a finished run: its MACs as the simulator counted them (partial updates included),
     * averaged over its samples; requantizations and weight updates from the model and settings.
     */
    public static OpCounts of(TrainingRun run) {
        Table h = run.history();
        double samples = h.longColumn("samples").getLong(h.rowCount() - 1);
        Table t = layers(run.model(), run.config());
        return new OpCounts(sum(h, "forward_macs") / samples, sum(h, "backward_macs") / samples, sum(t, "requant_elements"),
                sum(t, "weight_updates"));
    }

    /**
     * One row per layer, for one sample with full updates: index, layer, forward_macs,
     * backward_weight_macs, backward_error_macs, requant_elements, weight_updates.
     */
    public static Table layers(Model model, TrainingConfig training) {
        Precision p = training.precision();
        Role[] role = Memory.roles(model, training);
        int lowest = Memory.lowest(role);
        IntColumn index = IntColumn.create("index");
        StringColumn name = StringColumn.create("layer");
        LongColumn fwd = LongColumn.create("forward_macs"), wgrad = LongColumn.create("backward_weight_macs"),
                err = LongColumn.create("backward_error_macs"), requant = LongColumn.create("requant_elements");
        DoubleColumn updates = DoubleColumn.create("weight_updates");
        for (Layer l : model.layers()) {
            int i = l.index();
            long macs = l.forwardMacs(), q = 0;
            boolean weights = l instanceof WeightLayer;
            if (weights && p.quantizedFeatures()) q += size(l.outputShape());
            if (weights && p == Precision.UINT8 && i > lowest) q += size(l.inputShape());
            if (i == model.layers().size() - 1 && p == Precision.UINT8) q += model.classes(); // the loss error
            index.append(i);
            name.append(l.describe());
            fwd.append(macs);
            wgrad.append(weights && role[i] == Role.TRAINABLE ? macs : 0);
            err.append(weights && i > lowest ? macs : 0);
            requant.append(q);
            updates.append(weights && role[i] == Role.TRAINABLE ? (double) l.weights().count() / training.batch() : 0);
        }
        return Table.create("operations per sample").addColumns(index, name, fwd, wgrad, err, requant, updates);
    }

    public double totalMacs() { return forwardMacs + backwardMacs; }

    private static double sum(Table t, String column) {
        return ((tech.tablesaw.api.NumericColumn<?>) t.column(column)).sum();
    }

    private static long size(int[] shape) {
        return Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%,.0f forward + %,.0f backward MACs, %,.0f requantized elements, %,.0f weight "
                + "updates per sample", forwardMacs, backwardMacs, requantElements, weightUpdates);
    }
}
