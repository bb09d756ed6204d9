package fqt.wire;

import fqt.data.Dataset;
import fqt.kernels.ConvGeometry;
import fqt.kernels.PoolGeometry;
import fqt.nn.AvgPool2d;
import fqt.nn.Conv2d;
import fqt.nn.Flatten;
import fqt.memory.ActivationPlan;
import fqt.nn.Add;
import fqt.nn.Clamp;
import fqt.nn.Layer;
import fqt.nn.Loss;
import fqt.nn.Linear;
import fqt.nn.MaxPool2d;
import fqt.nn.Model;
import fqt.nn.ReLU;
import fqt.nn.WeightLayer;
import fqt.nn.Weights;
import fqt.quant.QuantParams;
import fqt.quant.RangeTracker;
import fqt.select.PartialUpdates;
import fqt.nn.ErrorRange;
import fqt.nn.Gradients;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.train.Adam;
import fqt.train.Momentum;
import fqt.train.Optimizer;
import fqt.train.StandardizedSgd;
import fqt.train.Training;
import fqt.train.TrainingConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * The model blob: a versioned little-endian image of a model (uint8 or float32 weights, their
 * parameters, biases, feature and loss ranges, layer geometry, frozen and bias-only flags) and its
 * training settings (precision, rounding, error ranges, alphas, batch, optimizer, seed, partial
 * updates), ending in a CRC-32. The firmware ({@code firmware/core/model_blob.c}) validates it
 * completely before it trains; the format is {@code firmware/BLOB.md}. The firmware writes the same
 * image of its trained model, so host and device states compare byte for byte.
 */
public final class ModelBlob {
    private ModelBlob() {}

    public static final int VERSION = 3;
    static final int HEADER_BYTES = 16;
    static final int CONFIG_OFFSET = 16;
    static final int MODEL_OFFSET = 76;
    /** Offset of the first layer record; each record starts with its kind (u8) and, at +4, its size (u32). */
    public static final int LAYERS_OFFSET = 120;

    /** Layer codes of the blob. */
    static final int LINEAR = 1, CONV2D = 2, RELU = 3, MAXPOOL2D = 4, AVGPOOL2D = 5, FLATTEN = 6, ADD = 7, CLAMP = 8;
    /** Bytes of a layer record's header: kind, flags, input count, 0, record bytes, two input tensors. */
    static final int RECORD_HEADER = 12;

    /**
     * The blob of the model {@code training.fit(train, ...)} starts from (a copy, frozen and
     * quantized on {@code train} as configured) with the training's settings.
     */
    public static byte[] forRun(Training training, Dataset train) {
        TrainingConfig c = training.config();
        return write(Training.prepareModel(training.model(), c, train), c);
    }

    /** {@link #write(Model, TrainingConfig)} with {@code training}'s settings, frozen now. */
    public static byte[] write(Model model, Training training) {
        return write(model, training.config());
    }

    /**
     * The blob of {@code model} as it is, with the settings {@code c}: the model must be in the
     * state the training expects (quantized for MIXED and UINT8, float32 for FLOAT32; trainLast
     * and biasOnly applied, as {@code Training.prepareModel} does). Every field of {@code c} is
     * encoded ({@link #readConfig} gives it back).
     */
    public static byte[] write(Model model, TrainingConfig c) {
        boolean quantized = c.precision().quantizedFeatures();
        if (quantized != model.quantized()) {
            throw new IllegalArgumentException(c.precision() + " needs a " + (quantized ? "quantized" : "float32") + " model"
                    + (quantized ? ": deploy the Training (board.deploy(training, train)), which quantizes it, or quantize it first (model.quantize(calibrationSet))"
                                 : ": train a float model in FLOAT32, or this one in MIXED or UINT8"));
        }
        if (model.inputShape().length > 3) throw new IllegalArgumentException("inputs of rank " + model.inputShape().length + ": the blob holds up to 3");
        for (WeightLayer w : model.weightLayers()) w.weights().checkFinite(w.name());
        ByteArrayOutputStream layers = new ByteArrayOutputStream();
        for (Layer l : model.layers()) layers.writeBytes(layer(l, quantized));
        byte[] plan = plan(ActivationPlan.of(model, c));
        int total = LAYERS_OFFSET + layers.size() + plan.length + 4;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'F', 'Q', 'T', 'B'}).putShort((short) VERSION).putShort((short) HEADER_BYTES).putInt(total).putInt(0);
        config(b, c);
        int[] shape = model.inputShape();
        b.put((byte) shape.length).put(new byte[3]);
        for (int i = 0; i < 3; i++) b.putInt(i < shape.length ? shape[i] : 0);
        b.putInt(model.classes()).putInt(model.layers().size());
        params(b, quantized ? model.inputParams() : null);
        range(b, model.lossRange());
        b.put(layers.toByteArray());
        b.put(plan);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, total - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * The model state a blob holds (a board's trained model, read back), on a copy of
     * {@code architecture}: the model the blob was written from, or any model of the same layers.
     * Checks the CRC, the size and that every layer matches; the training settings are not read.
     */
    public static Model read(byte[] blob, Model architecture) {
        ByteBuffer b = checked(blob);
        boolean quantized = b.get(CONFIG_OFFSET) != 0; // FLOAT32 is precision 0
        int layerCount = b.getInt(MODEL_OFFSET + 20);
        if (quantized != architecture.quantized() || layerCount != architecture.layers().size()) {
            throw new IllegalArgumentException("the blob's model (" + layerCount + " layers, " + (quantized ? "quantized" : "float32")
                    + ") is not " + architecture.layers().size() + " layers " + (architecture.quantized() ? "quantized" : "float32"));
        }
        Model m = architecture.copy();
        b.position(MODEL_OFFSET + 32);
        float[] loss = range(b);
        if (loss != null) m.lossRange().set(loss[0], loss[1]);
        for (Layer l : m.layers()) {
            int start = b.position();
            byte[] expected = layer(l, quantized);
            int head = RECORD_HEADER + 4 * geometryWords(expected); // kind, flags, inputs, size and geometry
            if (start + head > blob.length || !java.util.Arrays.equals(blob, start, start + head, expected, 0, head)) {
                throw new IllegalArgumentException(l.name() + ": the blob has another layer there (kind " + b.get(start) + ")");
            }
            b.position(start + head);
            if (l instanceof Add) {
                QuantParams op = params(b);
                float[] out = range(b);
                if (quantized) {
                    if (out == null) throw new IllegalArgumentException(l.name() + ": a quantized Add without an output range");
                    l.calibrateOutput(out[0], out[1]);
                    if (!java.util.Objects.equals(l.outputParams(), op)) throw new IllegalArgumentException(l.name() + ": output parameters disagree with its range");
                }
            }
            if (l instanceof WeightLayer wl) {
                Weights w = wl.weights();
                QuantParams wp = params(b), op = params(b);
                float[] out = range(b);
                byte[] codes = new byte[w.count()];
                float[] real = new float[w.count()];
                if (quantized) {
                    b.get(codes);
                    b.position(b.position() + pad4(w.count()) - w.count());
                } else {
                    for (int i = 0; i < real.length; i++) real[i] = b.getFloat();
                }
                float[] bias = new float[w.structures];
                for (int i = 0; i < bias.length; i++) bias[i] = b.getFloat();
                if (quantized) {
                    w.setQuantized(codes, wp, bias, l.name());
                    if (out != null) wl.calibrateOutput(out[0], out[1]);
                    if (!java.util.Objects.equals(l.outputParams(), op)) throw new IllegalArgumentException(l.name() + ": output parameters disagree with its range");
                } else {
                    w.set(real, bias, l.name());
                }
            }
            b.position(start + expected.length);
        }
        return m;
    }

    /** Largest dimension of a layer's geometry and largest weight count, as the firmware's loader allows them. */
    private static final int MAX_DIMENSION = 1 << 15, MAX_ELEMENTS = 1 << 24;

    /**
     * The model a blob holds, built from the blob alone: the layers from its layer records (kind,
     * geometry, frozen and bias-only flags; average pooling over the whole input with stride 1 is
     * {@link AvgPool2d#global()}), the input parameters, then the state as
     * {@link #read(byte[], Model)} reads it. {@code write(read(blob), readConfig(blob))} gives the
     * blob back byte for byte.
     */
    public static Model read(byte[] blob) {
        ByteBuffer b = checked(blob);
        int rank = b.get(MODEL_OFFSET) & 0xFF;
        if (rank < 1 || rank > 3) throw new IllegalArgumentException("model blob: input rank " + rank + ", not 1..3");
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) shape[i] = dimension(b.getInt(MODEL_OFFSET + 4 + 4 * i), "input shape");
        int count = b.getInt(MODEL_OFFSET + 20);
        if (count < 1 || count > (blob.length - LAYERS_OFFSET - 4) / RECORD_HEADER) throw new IllegalArgumentException("model blob: " + count + " layers do not fit");
        java.util.List<Layer> layers = new java.util.ArrayList<>();
        int[][] inputs = new int[count][];
        int at = LAYERS_OFFSET;
        for (int i = 0; i < count; i++) {
            int bytes = at + RECORD_HEADER <= blob.length - 4 ? b.getInt(at + 4) : -1;
            if (bytes < RECORD_HEADER || bytes > blob.length - 4 - at) throw new IllegalArgumentException("model blob: layer " + i + " runs past the end of the blob");
            Layer l = layerOf(b, at, bytes, i);
            int k = b.get(at + 2) & 0xFF;
            if (k < 1 || k > 2) throw new IllegalArgumentException("model blob: layer " + i + " reads " + k + " tensors");
            inputs[i] = k == 1 ? new int[] {b.getShort(at + 8) & 0xFFFF} : new int[] {b.getShort(at + 8) & 0xFFFF, b.getShort(at + 10) & 0xFFFF};
            if (l instanceof WeightLayer w) {
                int flags = b.get(at + 1);
                w.freeze((flags & 1) != 0);
                w.updateBiasOnly((flags & 2) != 0);
            }
            layers.add(l);
            at += bytes;
        }
        int entries = at + 8 <= blob.length - 4 ? b.getInt(at + 4) : -1;
        if (entries < 0 || at + 8 + (long) PLAN_ENTRY * entries != blob.length - 4) {
            throw new IllegalArgumentException("model blob: the activation plan after the last layer does not end at the CRC");
        }
        Model architecture = new Model(shape, layers, inputs);
        if (architecture.classes() != b.getInt(MODEL_OFFSET + 16)) {
            throw new IllegalArgumentException("model blob: the layers end in " + architecture.classes() + " classes, the header says " + b.getInt(MODEL_OFFSET + 16));
        }
        if (b.get(CONFIG_OFFSET) != 0) { // a quantized precision: the input parameters start the model's state
            b.position(MODEL_OFFSET + 24);
            QuantParams input = params(b);
            if (input == null) throw new IllegalArgumentException("model blob: a quantized model without input parameters");
            architecture.setInputParams(input);
            for (WeightLayer w : architecture.weightLayers()) { // placeholder codes: read(blob, architecture) puts the blob's in
                w.weights().setQuantized(new byte[w.weights().count()], null, new float[w.weights().structures], w.name());
            }
        }
        return read(blob, architecture);
    }

    /** The layer of the record at {@code at}, from its kind and geometry. */
    private static Layer layerOf(ByteBuffer b, int at, int bytes, int index) {
        int kind = b.get(at) & 0xFF;
        int words = switch (kind) {
            case LINEAR -> 2;
            case CONV2D -> 9;
            case MAXPOOL2D, AVGPOOL2D -> 6;
            case RELU, FLATTEN, ADD -> 0;
            case CLAMP -> 2;
            default -> throw new IllegalArgumentException("model blob: layer " + index + " has kind " + kind + ", not 1..8");
        };
        if (RECORD_HEADER + 4 * words > bytes) throw new IllegalArgumentException("model blob: layer " + index + "'s record is shorter than its geometry");
        if (kind == CLAMP) return new Clamp(b.getFloat(at + RECORD_HEADER), b.getFloat(at + RECORD_HEADER + 4));
        int[] g = new int[words];
        for (int k = 0; k < words; k++) g[k] = dimension(b.getInt(at + RECORD_HEADER + 4 * k), "layer " + index + "'s geometry");
        long weights = kind == LINEAR ? (long) g[0] * g[1] : kind == CONV2D ? (long) g[3] * (g[0] / Math.max(g[8], 1)) * g[4] * g[5] : 0;
        if (weights > MAX_ELEMENTS) throw new IllegalArgumentException("model blob: layer " + index + " has " + weights + " weights, more than 2^24");
        return switch (kind) {
            case LINEAR -> new Linear(g[0], g[1]);
            case CONV2D -> new Conv2d(g[0], g[3], g[4], g[5], g[6], g[7], g[8]);
            case MAXPOOL2D -> new MaxPool2d(g[3], g[4], g[5]);
            case AVGPOOL2D -> g[3] == g[1] && g[4] == g[2] && g[5] == 1 ? AvgPool2d.global() : new AvgPool2d(g[3], g[4], g[5]);
            case RELU -> new ReLU();
            case ADD -> new Add();
            default -> new Flatten();
        };
    }

    private static int dimension(int v, String what) {
        if (v < 0 || v >= MAX_DIMENSION) throw new IllegalArgumentException("model blob: " + what + " holds " + v + ", not 0..2^15-1");
        return v;
    }

    /** The enum constant a settings byte codes, or an error naming the field (as the firmware's loader checks it). */
    private static <E> E code(E[] values, byte code, String field) {
        if (code < 0 || code >= values.length) throw new IllegalArgumentException("model blob: " + field + " code " + code + " is unknown");
        return values[code];
    }

    /** The blob as a little-endian buffer, after checking magic, version, size and CRC. */
    private static ByteBuffer checked(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        if (blob.length < LAYERS_OFFSET + 4 || b.getInt(0) != 0x42545146 || b.getShort(4) != VERSION || b.getInt(8) != blob.length) {
            throw new IllegalArgumentException("not a model blob of version " + VERSION + " and " + blob.length + " bytes");
        }
        CRC32 crc = new CRC32();
        crc.update(blob, 0, blob.length - 4);
        if (b.getInt(blob.length - 4) != (int) crc.getValue()) throw new IllegalArgumentException("model blob CRC mismatch");
        return b;
    }

    /** Geometry words of a layer record as {@link #layer} writes it. */
    private static int geometryWords(byte[] record) {
        return switch (record[0]) {
            case LINEAR -> 2;
            case CONV2D -> 9;
            case MAXPOOL2D, AVGPOOL2D -> 6;
            case CLAMP -> 2;
            default -> 0;
        };
    }

    /** Reads {@link #params(ByteBuffer, QuantParams)}: null for the 8 zero bytes. */
    private static QuantParams params(ByteBuffer b) {
        float scale = b.getFloat();
        int zeroPoint = b.getInt();
        return scale == 0f && zeroPoint == 0 ? null : new QuantParams(scale, zeroPoint);
    }

    /** Reads {@link #range(ByteBuffer, RangeTracker)}: {min, max}, or null when never observed. */
    private static float[] range(ByteBuffer b) {
        boolean seen = b.get() != 0;
        b.position(b.position() + 3);
        float min = b.getFloat(), max = b.getFloat();
        return seen ? new float[] {min, max} : null;
    }

    /** Optimizer codes of the blob, in {@code Optimizer}'s permitted order. */
    static final int SGD = 0, STANDARDIZED = 1, MOMENTUM = 2, ADAM = 3;

    /** The settings section (BLOB.md, offsets 16-71): every field of the configuration. */
    private static void config(ByteBuffer b, TrainingConfig c) {
        PartialUpdates p = c.partialUpdates();
        float a = 0f, bb = 0f;
        Optimizer opt = c.optimizer();
        int kind = SGD; // Optimizer is sealed: these four are all there are
        if (opt instanceof StandardizedSgd o) {
            kind = STANDARDIZED;
            a = o.alphaNorm();
        } else if (opt instanceof Momentum o) {
            kind = MOMENTUM;
            a = o.mu();
        } else if (opt instanceof Adam o) {
            kind = ADAM;
            a = o.beta1();
            bb = o.beta2();
        }
        if (c.trainLast() > 255) throw new IllegalArgumentException("trainLast " + c.trainLast() + ": the blob holds up to 255");
        b.put((byte) c.precision().ordinal()).put((byte) c.rounding().ordinal()).put((byte) c.errorRange().ordinal()).put((byte) kind);
        b.putFloat(c.alphaA()).putFloat(c.alphaE()).putInt(c.batch()).putLong(c.seed());
        b.putFloat(c.optimizer().lr()).putFloat(a).putFloat(bb);
        b.putFloat(p.lambdaMin()).putFloat(p.lambdaMax());
        b.put((byte) p.errorBy().ordinal()).put((byte) (p.fullHead() ? 1 : 0)).put((byte) (c.biasOnly() ? 1 : 0)).put((byte) c.trainLast());
        b.putInt(c.epochs()).putInt(c.calibration());
        b.put((byte) c.loss().ordinal()).put((byte) c.gradients().ordinal()).put(new byte[2]);
    }

    /** The activation plan section (BLOB.md): region bytes, entry count, then role, 0, tensor, offset, bytes per entry. */
    private static byte[] plan(ActivationPlan plan) {
        ByteBuffer b = ByteBuffer.allocate(8 + PLAN_ENTRY * plan.entries().size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) plan.bytes()).putInt(plan.entries().size());
        for (ActivationPlan.Entry e : plan.entries()) {
            b.put((byte) e.role().code()).put((byte) 0).putShort((short) e.tensor()).putInt((int) e.offset()).putInt((int) e.bytes());
        }
        return b.array();
    }

    static final int PLAN_ENTRY = 12;

    /**
     * The training configuration a blob carries (a blob this class or the firmware wrote); checks
     * the magic, version, size and CRC first.
     */
    public static TrainingConfig readConfig(byte[] blob) {
        ByteBuffer b = checked(blob);
        b.position(CONFIG_OFFSET);
        Precision precision = code(Precision.values(), b.get(), "precision");
        Rounding rounding = code(Rounding.values(), b.get(), "rounding");
        ErrorRange errorRange = code(ErrorRange.values(), b.get(), "error range");
        int kind = b.get();
        float alphaA = b.getFloat(), alphaE = b.getFloat();
        int batch = b.getInt();
        long seed = b.getLong();
        float lr = b.getFloat(), a = b.getFloat(), bb = b.getFloat();
        Optimizer opt = switch (kind) {
            case SGD -> Optimizer.sgd(lr);
            case STANDARDIZED -> Optimizer.standardizedSgd(lr, a);
            case MOMENTUM -> Optimizer.momentum(lr, a);
            case ADAM -> Optimizer.adam(lr, a, bb);
            default -> throw new IllegalArgumentException("model blob: optimizer code " + kind + " is unknown");
        };
        float lambdaMin = b.getFloat(), lambdaMax = b.getFloat();
        PartialUpdates p = new PartialUpdates(lambdaMin, lambdaMax, code(PartialUpdates.ErrorBy.values(), b.get(), "errorBy"), b.get() != 0);
        boolean biasOnly = b.get() != 0;
        int trainLast = b.get() & 0xFF;
        int epochs = b.getInt(), calibration = b.getInt();
        Loss loss = code(Loss.values(), b.get(), "loss");
        Gradients gradients = code(Gradients.values(), b.get(), "gradients");
        return new TrainingConfig(precision, rounding, opt, p, errorRange, alphaA, alphaE, batch, epochs, seed, calibration, trainLast, biasOnly, loss,
                gradients);
    }

    private static byte[] layer(Layer l, boolean quantized) {
        int kind;
        int[] geometry;
        if (l instanceof Linear f) {
            kind = LINEAR;
            geometry = new int[] {f.in(), f.out()};
        } else if (l instanceof Conv2d c) {
            ConvGeometry g = c.geometry();
            kind = CONV2D;
            geometry = new int[] {g.inC(), g.inH(), g.inW(), g.outC(), g.kH(), g.kW(), g.stride(), g.pad(), g.groups()};
        } else if (l instanceof ReLU) {
            kind = RELU;
            geometry = new int[0];
        } else if (l instanceof MaxPool2d p) {
            kind = MAXPOOL2D;
            geometry = pool(p.geometry());
        } else if (l instanceof AvgPool2d p) {
            kind = AVGPOOL2D;
            geometry = pool(p.geometry());
        } else if (l instanceof Flatten) {
            kind = FLATTEN;
            geometry = new int[0];
        } else if (l instanceof Add) {
            kind = ADD;
            geometry = new int[0];
        } else if (l instanceof Clamp cl) {
            kind = CLAMP;
            geometry = new int[] {Float.floatToRawIntBits(cl.lo()), Float.floatToRawIntBits(cl.hi())};
        } else {
            throw new IllegalArgumentException(l.name() + ": no model blob code for " + l.kind());
        }
        int bytes = RECORD_HEADER + 4 * geometry.length;
        WeightLayer wl = l instanceof WeightLayer w ? w : null;
        Weights w = wl == null ? null : wl.weights();
        if (w != null) bytes += 28 + pad4(w.count() * (quantized ? 1 : 4)) + 4 * w.structures;
        if (l instanceof Add) bytes += 20;
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int flags = wl == null ? 0 : (wl.frozen() ? 1 : 0) | (wl.biasOnly() ? 2 : 0);
        int[] in = l.inputs();
        b.put((byte) kind).put((byte) flags).put((byte) in.length).put((byte) 0).putInt(bytes);
        b.putShort((short) in[0]).putShort((short) (in.length > 1 ? in[1] : 0));
        for (int v : geometry) b.putInt(v);
        if (l instanceof Add) {
            params(b, quantized ? l.outputParams() : null);
            range(b, l.outputRange());
            return b.array();
        }
        if (w == null) return b.array();
        if (quantized) {
            params(b, w.params());
            params(b, l.outputParams());
            range(b, l.outputRange());
            b.put(w.codes());
            b.position(b.position() + pad4(w.count()) - w.count());
        } else {
            b.put(new byte[28]);
            for (float v : w.toFloat()) b.putFloat(v);
        }
        for (float v : w.bias()) b.putFloat(v);
        return b.array();
    }

    private static int[] pool(PoolGeometry g) {
        return new int[] {g.channels(), g.inH(), g.inW(), g.kH(), g.kW(), g.stride()};
    }

    /** scale and zero point, or 8 zero bytes. */
    private static void params(ByteBuffer b, QuantParams p) {
        if (p == null) b.putLong(0);
        else b.putFloat(p.scale()).putInt(p.zeroPoint());
    }

    /** seen flag, 3 zero bytes, min, max; all zeros when the range was never observed. */
    private static void range(ByteBuffer b, RangeTracker r) {
        if (!r.seen()) b.put(new byte[12]);
        else b.put((byte) 1).put(new byte[3]).putFloat(r.min()).putFloat(r.max());
    }

    private static int pad4(int n) {
        return (n + 3) / 4 * 4;
    }
}
