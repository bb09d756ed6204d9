package fqt.memory;

import fqt.memory.Buffer.Region;
import fqt.nn.Conv2d;
import fqt.nn.ErrorRange;
import fqt.nn.Gradients;
import fqt.nn.Layer;
import fqt.nn.Linear;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.nn.WeightLayer;
import fqt.nn.Weights;
import fqt.select.PartialUpdates;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The static memory plan of training a model on the device: {@code Memory.plan(model, training)}.
 * The rules here are the contract of {@code firmware/ARENA.md}; the firmware allocates the same
 * buffers in the same order, so both report the same arena size to the byte.
 */
public final class Memory {
    private Memory() {}

    /**
     * The role of each layer with weights, by layer index (null for layers without weights):
     * {@code trainLast} and {@code biasOnly} override the model's own flags, as in training.
     */
    public static Role[] roles(Model model, TrainingConfig c) {
        List<WeightLayer> w = model.weightLayers();
        if (c.trainLast() > w.size()) {
            throw new IllegalArgumentException("trainLast " + c.trainLast() + ": the model has " + w.size() + " layers with weights");
        }
        Role[] role = new Role[model.layers().size()];
        for (int k = 0; k < w.size(); k++) {
            WeightLayer l = w.get(k);
            boolean frozen = c.trainLast() > 0 ? k < w.size() - c.trainLast() : l.frozen();
            boolean bias = c.biasOnly() ? k < w.size() - 1 : l.biasOnly();
            role[l.index()] = frozen ? Role.FROZEN : bias ? Role.BIAS_ONLY : Role.TRAINABLE;
        }
        return role;
    }

    /** Index of the lowest layer that is not frozen: the backward pass stops there. */
    public static int lowest(Role[] roles) {
        for (int i = 0; i < roles.length; i++) if (roles[i] != null && roles[i] != Role.FROZEN) return i;
        throw new IllegalArgumentException("every layer is frozen: nothing to train, nothing to plan");
    }

    /** How a layer with weights takes part in training: not updated, only its biases, or fully. */
    public enum Role { FROZEN, BIAS_ONLY, TRAINABLE }

    /** The plan for training {@code model} with these settings (its precision, optimizer, frozen layers, updates). */
    public static MemoryPlan plan(Model model, Training training) {
        return plan(model, training.config());
    }

    public static MemoryPlan plan(Model model, TrainingConfig s) {
        Precision p = s.precision();
        Role[] role = roles(model, s);
        lowest(role); // refuses a model with nothing to train
        boolean quantized = p.quantizedFeatures();
        int valueBytes = quantized ? 1 : 4; // weights and features
        Arena ram = new Arena(Region.RAM), flash = new Arena(Region.FLASH);

        boolean[] runs = ActivationPlan.runsBackward(model, role);
        if (quantized) flash.add("input.qparams", Kind.QPARAMS, 8, -1);
        parameters(model, s, role, runs, valueBytes, ram, flash);
        ram.addRegion(ActivationPlan.of(model, s));
        ram.add("scratch_i32", Kind.SCRATCH, 4L * scratchInts(model, p, role, runs), -1);
        ram.add("scratch_i16", Kind.SCRATCH, 2L * scratchShorts(model, p, role, runs), -1);
        ram.add("grad_row", Kind.GRADIENTS, 4L * gradientRow(model, s, role), -1);
        selection(model, s, role, runs, ram);
        return new MemoryPlan(s.describe(), p, ram.buffers(), ram.size(), flash.buffers(), flash.size());
    }

    /**
     * Per layer with weights, in model order: weights, bias and weight qparams (Flash when the layer
     * does not update them), gradient sums ({@link Gradients}: float32, or int8 codes and a scale per
     * structure, or none in place), optimizer state, touched flags, output qparams, error range.
     */
    private static void parameters(Model model, TrainingConfig s, Role[] role, boolean[] runs, int valueBytes, Arena ram, Arena flash) {
        Precision p = s.precision();
        boolean emaErrors = p == Precision.UINT8 && s.errorRange() == ErrorRange.EMA;
        Optimizer opt = s.optimizer();
        Gradients gradients = s.gradientsUsed();
        for (Layer layer : model.requantizingLayers()) {
            int i = layer.index();
            if (!(layer instanceof WeightLayer l)) { // Add: its output's parameters and range
                if (p.quantizedFeatures()) ram.add("L" + i + ".out.qparams", Kind.QPARAMS, 16, i);
                continue;
            }
            Weights w = l.weights();
            Role r = role[i];
            String pre = "L" + i + ".";
            Arena weights = r == Role.TRAINABLE ? ram : flash;
            weights.add(pre + "weights", Kind.WEIGHTS, (long) w.count() * valueBytes, i);
            (r == Role.FROZEN ? flash : ram).add(pre + "bias", Kind.BIASES, 4L * w.structures, i);
            if (p.quantizedFeatures()) weights.add(pre + "weights.qparams", Kind.QPARAMS, 8, i);
            if (r != Role.FROZEN) {
                long perWeight = r == Role.TRAINABLE ? w.count() : 0;
                if (gradients == Gradients.FLOAT32) ram.add(pre + "grad", Kind.GRADIENTS, 4L * perWeight, i);
                if (gradients == Gradients.INT8) {
                    ram.add(pre + "grad", Kind.GRADIENTS, perWeight, i);
                    ram.add(pre + "grad.scale", Kind.GRADIENTS, perWeight > 0 ? 4L * w.structures : 0, i);
                }
                if (gradients != Gradients.IN_PLACE) ram.add(pre + "bias_grad", Kind.GRADIENTS, 4L * w.structures, i);
                ram.add(pre + "optimizer", Kind.OPTIMIZER,
                        perWeight * opt.stateBytesPerWeight() + (long) w.structures * opt.stateBytesPerStructure(), i);
                if (s.partialUpdates().ranking() && gradients != Gradients.IN_PLACE) ram.add(pre + "touched", Kind.SELECTION, w.structures, i);
            }
            if (p.quantizedFeatures()) ram.add(pre + "out.qparams", Kind.QPARAMS, 16, i);
            if (emaErrors && quantizesErrors(model, runs, l)) ram.add(pre + "error.range", Kind.QPARAMS, 8, i);
        }
        if (emaErrors) ram.add("loss.error.range", Kind.QPARAMS, 8, -1);
        for (int t = 1; emaErrors && t < model.layers().size(); t++) {
            if (model.readers(t).length > 1 && ActivationPlan.needsError(runs, t)) ram.add("T" + t + ".error.range", Kind.QPARAMS, 8, -1);
        }
    }

    /** The layer propagates an error to its input (whose producer runs backward). */
    static boolean propagates(boolean[] runs, Layer l) {
        return ActivationPlan.needsError(runs, l.inputs()[0]);
    }

    /** UINT8: a weight layer requantizes the error it propagates itself, unless its input is a fan-out (whose sum is). */
    static boolean quantizesErrors(Model model, boolean[] runs, WeightLayer l) {
        return propagates(runs, l) && model.readers(l.inputs()[0]).length == 1;
    }

    /**
     * int32 elements of {@code scratch_i32}, the largest need of one layer at a time. Quantized
     * forward of a layer with weights: its int32 biases, one per structure, then (Conv2d) one output
     * plane of accumulators. UINT8 error propagation of a layer with weights above the lowest
     * trained one: one accumulator per input element. UINT8 weight gradient of a trained Linear:
     * its input as float32, once per sample rather than once per row.
     */
    static long scratchInts(Model model, Precision p, Role[] role, boolean[] runs) {
        long ints = 0;
        for (WeightLayer l : model.weightLayers()) {
            if (p.quantizedFeatures()) {
                long plane = l instanceof Conv2d c ? (long) c.geometry().outH() * c.geometry().outW() : 0;
                ints = Math.max(ints, l.weights().structures + plane);
            }
            if (p == Precision.UINT8 && propagates(runs, l)) ints = Math.max(ints, size(l.inputShape()));
            if (p == Precision.UINT8 && l instanceof Linear lin && role[l.index()] == Role.TRAINABLE) ints = Math.max(ints, lin.in());
        }
        return ints;
    }

    /**
     * int16 elements of {@code scratch_i16}: zero-padded, zero-point-corrected copies of uint8
     * planes, which the firmware's DSP kernels (Cortex-M4/M7) read for 3x3 convolutions with stride 1
     * and padding 1: P = (inH + 2) x (inW + 2) per plane. Quantized forward: the input's planes
     * (inC x P). UINT8 weight gradient of a trained layer: the same plus one error plane with rows
     * padded to inW + 2 (inH x (inW + 2)). UINT8 error propagation above the lowest layer: the
     * output errors' planes (outC x P). The plan is one for every CPU, so builds without the DSP
     * extension allocate it too.
     */
    static long scratchShorts(Model model, Precision p, Role[] role, boolean[] runs) {
        long shorts = 0;
        for (WeightLayer l : model.weightLayers()) {
            if (!(l instanceof Conv2d c) || !p.quantizedFeatures()) continue;
            var g = c.geometry();
            if (g.kH() != 3 || g.kW() != 3 || g.stride() != 1 || g.pad() != 1) continue;
            long plane = (long) (g.inH() + 2) * (g.inW() + 2);
            shorts = Math.max(shorts, g.inC() * plane);
            if (p == Precision.UINT8 && role[l.index()] == Role.TRAINABLE) {
                shorts = Math.max(shorts, g.inC() * plane + (long) g.inH() * (g.inW() + 2));
            }
            if (p == Precision.UINT8 && propagates(runs, l)) shorts = Math.max(shorts, g.outC() * plane);
        }
        return shorts;
    }

    /**
     * float32 elements of {@code grad_row} (INT8 and IN_PLACE {@link Gradients}): one structure's
     * gradient and its bias, for the largest structure of a layer that updates.
     */
    static long gradientRow(Model model, TrainingConfig s, Role[] role) {
        if (s.gradientsUsed() == Gradients.FLOAT32) return 0;
        long floats = 0;
        for (WeightLayer l : model.weightLayers()) {
            if (role[l.index()] != Role.FROZEN) floats = Math.max(floats, l.weights().structureSize + 1L);
        }
        return floats;
    }

    /**
     * {@code select_idx}: int32 selected structures of the layer going backward (every layer with
     * weights at or above the lowest trained one). With ranking (partial updates, lambdaMin below 1)
     * over the updated layers' structures: int32 keys, float32 magnitudes (float errors only), the
     * int64 sort scratch (8-aligned) and the largest errors seen (2 floats for the sample loss, or
     * one float per updated layer).
     */
    private static void selection(Model model, TrainingConfig s, Role[] role, boolean[] runs, Arena ram) {
        long backward = 0, updated = 0, updatedLayers = 0;
        for (WeightLayer l : model.weightLayers()) {
            if (runs[l.index()]) backward = Math.max(backward, l.weights().structures);
            if (role[l.index()] != Role.FROZEN) {
                updated = Math.max(updated, l.weights().structures);
                updatedLayers++;
            }
        }
        ram.add("select_idx", Kind.SELECTION, 4 * backward, -1);
        if (!s.partialUpdates().ranking()) return;
        ram.add("select_key", Kind.SELECTION, 4 * updated, -1);
        ram.add("select_mag", Kind.SELECTION, s.precision().quantizedErrors() ? 0 : 4 * updated, -1);
        ram.add("select_sort", Kind.SELECTION, 8 * updated, 8, -1);
        boolean byLoss = s.partialUpdates().errorBy() == PartialUpdates.ErrorBy.SAMPLE_LOSS;
        ram.add("select_state", Kind.SELECTION, byLoss ? 8 : 4 * updatedLayers, -1);
    }

    /**
     * RAM and Flash of training each model in UINT8, MIXED and FLOAT32 with {@code base}'s other
     * settings, at each batch size, with every layer trained ({@code trainLast} 0) and with the last
     * {@code trainLast} layers: one row per model, trained layers and batch (model, trained, batch,
     * weights, uint8_ram, mixed_ram, float32_ram, uint8_vs_float32 = uint8_ram / float32_ram,
     * uint8_flash, float32_flash; bytes). The README's table of the reference architectures and
     * notebook 07's are this table.
     */
    public static Table compare(Map<String, Model> models, TrainingConfig base, int[] batches, int... trainLast) {
        var name = StringColumn.create("model");
        var trained = StringColumn.create("trained");
        var batch = IntColumn.create("batch");
        var weights = LongColumn.create("weights");
        var u8 = LongColumn.create("uint8_ram");
        var mixed = LongColumn.create("mixed_ram");
        var f32 = LongColumn.create("float32_ram");
        var ratio = DoubleColumn.create("uint8_vs_float32");
        var u8Flash = LongColumn.create("uint8_flash");
        var f32Flash = LongColumn.create("float32_flash");
        for (var e : models.entrySet()) {
            Model m = e.getValue();
            long count = 0;
            for (WeightLayer l : m.weightLayers()) count += l.weights().count() + l.weights().structures;
            for (int last : trainLast) {
                for (int b : batches) {
                    Training t = Fqt.train(m).config(base).trainLast(last).batch(b);
                    MemoryPlan pu8 = plan(m, t.precision(Precision.UINT8)), pmixed = plan(m, t.precision(Precision.MIXED)),
                            pf32 = plan(m, t.precision(Precision.FLOAT32));
                    name.append(e.getKey());
                    trained.append(last == 0 ? "all" : "last " + last);
                    batch.append(b);
                    weights.append(count);
                    u8.append(pu8.ramBytes());
                    mixed.append(pmixed.ramBytes());
                    f32.append(pf32.ramBytes());
                    ratio.append((double) pu8.ramBytes() / pf32.ramBytes());
                    u8Flash.append(pu8.flashBytes());
                    f32Flash.append(pf32.flashBytes());
                }
            }
        }
        return Table.create("memory of training, by model, trained layers and batch")
                .addColumns(name, trained, batch, weights, u8, mixed, f32, ratio, u8Flash, f32Flash);
    }

    static long size(int[] shape) {
        return Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
    }

    /**
     * Whether {@code model} trains with {@code training} on each board: one row per profile (board,
     * core, ram_need = the plan's arena + the firmware's own state + the stack reserve, ram_bytes,
     * arena_bytes the firmware leaves, headroom = arena_bytes - the plan's arena, flash_bytes of
     * the model in Flash, flash_size, fits).
     */
    public static Table compare(Model model, Training training, List<fqt.board.BoardProfile> boards) {
        MemoryPlan plan = plan(model, training);
        var board = StringColumn.create("board");
        var core = StringColumn.create("core");
        var need = LongColumn.create("ram_need");
        var ram = LongColumn.create("ram_bytes");
        var arena = LongColumn.create("arena_bytes");
        var headroom = LongColumn.create("headroom");
        var flash = LongColumn.create("flash_bytes");
        var flashSize = LongColumn.create("flash_size");
        var fits = tech.tablesaw.api.BooleanColumn.create("fits");
        for (fqt.board.BoardProfile b : boards) {
            board.append(b.name());
            core.append(b.core().key());
            need.append(b.ramNeed(plan));
            ram.append(b.ramBytes());
            arena.append(b.arenaBytes());
            headroom.append(b.headroom(plan));
            flash.append(plan.flashBytes());
            flashSize.append(b.flashBytes());
            fits.append(b.fits(plan));
        }
        return Table.create("memory of training on each board: " + plan.settings())
                .addColumns(board, core, need, ram, arena, headroom, flash, flashSize, fits);
    }
}
