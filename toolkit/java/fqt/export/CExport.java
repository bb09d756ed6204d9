package fqt.export;

import fqt.kernels.ConvGeometry;
import fqt.nn.Conv2d;
import fqt.nn.Layer;
import fqt.nn.Linear;
import fqt.nn.Model;
import fqt.nn.WeightLayer;
import fqt.nn.Weights;
import fqt.quant.QuantParams;
import fqt.wire.ModelBlob;
import fqt.wire.SavedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A saved model as C for firmware of one's own: {@code NAME.h} with the model's parameters as
 * macros and {@code NAME.c} with the model image ({@code firmware/BLOB.md}) as one 4-aligned
 * {@code const uint8_t NAME_blob[]}, which {@code fqt_model_blob_load} takes and uses in place,
 * plus each weight layer's weights and biases as arrays of their own. Floats are written as C99
 * hexadecimal literals, so every value is exact.
 */
public final class CExport {
    private CExport() {}

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A C identifier from a file name: {@code model.bin} gives {@code model}, other characters become '_'. */
    public static String nameOf(Path file) {
        String base = file.getFileName().toString();
        int dot = base.lastIndexOf('.');
        String name = (dot > 0 ? base.substring(0, dot) : base).replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    /** Writes {@code dir/NAME.h} and {@code dir/NAME.c} (the directory is created); returns both paths. */
    public static List<Path> write(SavedModel saved, Path dir, String name) {
        if (!IDENTIFIER.matcher(name).matches()) throw new IllegalArgumentException("the name " + name + " is not a C identifier");
        byte[] blob = saved.blob();
        Path h = dir.resolve(name + ".h"), c = dir.resolve(name + ".c");
        try {
            Files.createDirectories(dir);
            Files.writeString(h, header(saved, blob, name));
            Files.writeString(c, source(saved, blob, name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + h + " and " + c, e);
        }
        return List.of(h, c);
    }

    private static String header(SavedModel saved, byte[] blob, String name) {
        Model m = saved.model();
        int[] kinds = kinds(blob, m.layers().size());
        String p = name.toUpperCase(Locale.ROOT) + "_";
        StringBuilder s = new StringBuilder();
        s.append("/*\n * ").append(name).append(".h: a model image of fqt-toolkit as C (written by fqt.export.CExport; do not edit).\n")
                .append(" * Trained with: ").append(saved.config().describe()).append(".\n")
                .append(" * ").append(name).append("_blob is the image fqt_model_blob_load (firmware/core/model_blob.h) loads; it is\n")
                .append(" * 4-aligned because the firmware uses the parameters it does not train in place (firmware/BLOB.md).\n")
                .append(" * The per-layer arrays are copies of the weights and biases inside it; with -fdata-sections and\n")
                .append(" * --gc-sections the linker drops those that are not used.\n */\n");
        s.append("#ifndef ").append(p).append("H\n#define ").append(p).append("H\n\n#include <stdint.h>\n\n");
        define(s, p + "BLOB_BYTES", blob.length + "u", "bytes of " + name + "_blob");
        define(s, p + "BLOB_VERSION", String.valueOf(ModelBlob.VERSION), "firmware/BLOB.md");
        define(s, p + "PRECISION", String.valueOf(saved.config().precision().ordinal()), "0 FLOAT32, 1 MIXED, 2 UINT8: " + saved.config().precision());
        define(s, p + "INPUT_RANK", String.valueOf(m.inputShape().length), null);
        int[] shape = m.inputShape();
        for (int i = 0; i < shape.length; i++) define(s, p + "INPUT_DIM" + i, String.valueOf(shape[i]), i == 0 ? "input shape " + Arrays.toString(shape) : null);
        define(s, p + "INPUT_SIZE", String.valueOf(Arrays.stream(shape).reduce(1, (a, b) -> a * b)), "values per sample");
        if (m.quantized()) params(s, p + "INPUT", m.inputParams());
        define(s, p + "CLASSES", String.valueOf(m.classes()), null);
        define(s, p + "LAYERS", String.valueOf(m.layers().size()), null);
        define(s, p + "WEIGHT_LAYERS", String.valueOf(m.weightLayers().size()), null);
        for (Layer l : m.layers()) {
            String q = p + "L" + l.index() + "_";
            s.append("\n/* layer ").append(l.index()).append(": ").append(l.describe()).append(", ").append(Arrays.toString(l.inputShape()))
                    .append(" -> ").append(Arrays.toString(l.outputShape())).append(" */\n");
            define(s, q + "KIND", String.valueOf(kinds[l.index()]), l.kind());
            if (!(l instanceof WeightLayer w)) continue;
            if (l instanceof Linear f) {
                define(s, q + "IN", String.valueOf(f.in()), null);
                define(s, q + "OUT", String.valueOf(f.out()), null);
            } else {
                ConvGeometry g = ((Conv2d) l).geometry();
                int[] v = {g.inC(), g.inH(), g.inW(), g.outC(), g.outH(), g.outW(), g.kH(), g.kW(), g.stride(), g.pad(), g.groups()};
                String[] names = {"IN_C", "IN_H", "IN_W", "OUT_C", "OUT_H", "OUT_W", "KH", "KW", "STRIDE", "PAD", "GROUPS"};
                for (int i = 0; i < v.length; i++) define(s, q + names[i], String.valueOf(v[i]), null);
            }
            Weights wt = w.weights();
            define(s, q + "WEIGHTS", String.valueOf(wt.count()), "weights, structure after structure");
            define(s, q + "STRUCTURES", String.valueOf(wt.structures), "biases: one per output " + (l instanceof Linear ? "neuron" : "channel"));
            define(s, q + "FROZEN", w.frozen() ? "1" : "0", null);
            if (m.quantized()) {
                params(s, q + "WEIGHT", wt.params());
                params(s, q + "OUTPUT", l.outputParams());
            }
        }
        s.append("\nextern const uint8_t ").append(name).append("_blob[").append(p).append("BLOB_BYTES] __attribute__((aligned(4)));\n");
        for (WeightLayer w : m.weightLayers()) {
            String array = name + "_l" + w.index() + "_", q = p + "L" + w.index() + "_";
            s.append("extern const ").append(m.quantized() ? "uint8_t " : "float ").append(array).append("weights[").append(q).append("WEIGHTS];")
                    .append(m.quantized() ? " /* codes: real = scale * (code - zero point) */\n" : "\n");
            s.append("extern const float ").append(array).append("bias[").append(q).append("STRUCTURES];\n");
        }
        return s.append("\n#endif\n").toString();
    }

    private static String source(SavedModel saved, byte[] blob, String name) {
        Model m = saved.model();
        StringBuilder s = new StringBuilder("/* ").append(name).append(".c: see ").append(name).append(".h (written by fqt.export.CExport; do not edit). */\n")
                .append("#include \"").append(name).append(".h\"\n\n");
        s.append("const uint8_t ").append(name).append("_blob[").append(name.toUpperCase(Locale.ROOT)).append("_BLOB_BYTES] __attribute__((aligned(4))) = {\n");
        array(s, blob.length, 16, i -> String.format("0x%02x", blob[i] & 0xFF));
        for (WeightLayer w : m.weightLayers()) {
            Weights wt = w.weights();
            String array = name + "_l" + w.index() + "_";
            s.append("\n/* layer ").append(w.index()).append(": ").append(w.describe()).append(" */\n");
            if (m.quantized()) {
                byte[] codes = wt.codes();
                s.append("const uint8_t ").append(array).append("weights[").append(codes.length).append("] = {\n");
                array(s, codes.length, 16, i -> String.format("0x%02x", codes[i] & 0xFF));
            } else {
                float[] v = wt.toFloat();
                s.append("const float ").append(array).append("weights[").append(v.length).append("] = {\n");
                array(s, v.length, 6, i -> hex(v[i]));
            }
            float[] bias = wt.bias();
            s.append("const float ").append(array).append("bias[").append(bias.length).append("] = {\n");
            array(s, bias.length, 6, i -> hex(bias[i]));
        }
        return s.toString();
    }

    /** The kind code of each layer record (firmware/BLOB.md: 1 Linear ... 6 Flatten), read from the blob. */
    private static int[] kinds(byte[] blob, int layers) {
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int[] kinds = new int[layers];
        for (int i = 0, at = ModelBlob.LAYERS_OFFSET; i < layers; at += b.getInt(at + 4), i++) kinds[i] = blob[at];
        return kinds;
    }

    private static void define(StringBuilder s, String name, String value, String comment) {
        s.append("#define ").append(name).append(' ').append(value);
        if (comment != null) s.append(" /* ").append(comment).append(" */");
        s.append('\n');
    }

    private static void params(StringBuilder s, String prefix, QuantParams q) {
        define(s, prefix + "_SCALE", hex(q.scale()), String.format(Locale.ROOT, "%.9g", q.scale()));
        define(s, prefix + "_ZERO_POINT", String.valueOf(q.zeroPoint()), null);
    }

    /** A float32 as an exact C99 hexadecimal float literal. */
    private static String hex(float v) { return Float.toHexString(v) + "f"; }

    /** {@code n} elements, {@code perLine} to a line, then the closing brace. */
    private static void array(StringBuilder s, int n, int perLine, IntFunction<String> element) {
        for (int start = 0; start < n; start += perLine) {
            int end = Math.min(n, start + perLine);
            s.append("    ").append(IntStream.range(start, end).mapToObj(element).collect(Collectors.joining(", "))).append(",\n");
        }
        s.append("};\n");
    }
}
