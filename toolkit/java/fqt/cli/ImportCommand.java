package fqt.cli;

import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.djl.Import;
import fqt.djl.ImportedModel;
import fqt.djl.PtqReport;
import fqt.djl.Quantize;
import fqt.djl.Verification;
import fqt.nn.Layer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** {@code ./fqt import MODEL}: imports a TorchScript model, checks it against DJL, evaluates and quantizes it. */
final class ImportCommand {
    static final Set<String> VALUED = Set.of("input-shape", "evaluate", "data-dir", "calibration", "percentile", "tolerance");
    static final Set<String> FLAGS = Set.of("verify", "ptq", "json");

    static final String HELP = """
            ./fqt import MODEL.pt --input-shape 1,1,28,28 [options]
              imports a TorchScript file (torch.jit.script or torch.jit.trace, then save) through DJL's
              PyTorch engine, BatchNorm folded, and prints the toolkit's architecture
              --input-shape N,C,H,W   the model's input, batch first (required)
              --verify                run DJL and the toolkit side by side: max |diff| of the outputs
                                      (on the test set with --evaluate, else on 100 random inputs)
              --tolerance X           largest difference --verify accepts (default 1e-4)
              --evaluate DATA         float test accuracy on fashion-mnist|mnist|kmnist|emnist-letters|emnist-digits
              --data-dir DIR          where the IDX files are (default: Debian's /usr/share/datasets/...)
              --ptq                   post-training quantization to uint8 (needs --evaluate): test accuracy
                                      and per-layer quantization error
              --calibration N         training samples that calibrate the ranges (default 500)
              --percentile P          percentile ranges instead of min/max, e.g. 99.99
              --json                  one JSON object: float_accuracy, quantized_accuracy, max_abs_diff, ...
            """;

    static int run(String[] argv) {
        Args a = new Args(argv, 1, VALUED, FLAGS);
        if (a.positional.size() != 1) throw new IllegalArgumentException("usage: ./fqt import MODEL.pt --input-shape 1,1,28,28 [options]");
        String shapeText = a.get("input-shape", null);
        if (shapeText == null) throw new IllegalArgumentException("--input-shape is required, e.g. --input-shape 1,1,28,28");
        int[] shape = parseShape(shapeText);
        boolean json = a.flag("json");
        String dataName = a.get("evaluate", null);
        if (a.flag("ptq") && dataName == null) throw new IllegalArgumentException("--ptq needs --evaluate DATA (its training set calibrates)");
        DataSplit data = dataName == null ? null : TrainCommand.loadData(dataName, a.get("data-dir", null));
        Map<String, Object> out = new LinkedHashMap<>();
        Path file = Path.of(a.positional.get(0));
        try (ImportedModel fp = Import.torchScript(file, Import.inputShape(shape))) {
            out.put("model", file.toString());
            out.put("input_shape", Arrays.toString(shape));
            List<String> layers = new ArrayList<>();
            for (Layer l : fp.model().layers()) layers.add(l.describe());
            out.put("layers", String.join("; ", layers));
            if (!json) System.out.print(fp);
            Verification v = null;
            if (a.flag("verify")) {
                Dataset sample = data != null ? data.test() : randomInputs(shape, fp.model().classes(), 100);
                v = fp.verify(sample, a.getFloat("tolerance", (float) ImportedModel.DEFAULT_TOLERANCE));
                if (!json && data != null) System.out.println("verify on the test set: " + v);
                if (!json && data == null) {
                    System.out.printf("verify on %d random inputs: max |DJL - toolkit| %.3g (tolerance %.1g), same class %d/%d%n",
                            v.samples(), v.maxAbsDiff(), v.tolerance(), v.sameClass(), v.samples());
                }
                out.put("max_abs_diff", v.maxAbsDiff());
                out.put("verify_samples", v.samples());
                out.put("same_class", v.sameClass());
                if (data != null) out.put("djl_accuracy", v.djlAccuracy());
            }
            if (data != null) {
                // Verifying on the test set has computed the toolkit's float accuracy already.
                double acc = v != null ? v.importedAccuracy() : fp.evaluate(data.test());
                out.put("float_accuracy", acc);
                if (!json) System.out.printf("float test accuracy (toolkit, float32): %.4f%n", acc);
            }
            if (a.flag("ptq")) {
                var builder = Quantize.ptq(fp).calibrate(data.train().take(a.getInt("calibration", 500))).perTensor();
                String percentile = a.get("percentile", null);
                if (percentile != null) builder.percentile(parsePercentile(percentile));
                PtqReport r = builder.build().report(data.test());
                out.put("quantized_accuracy", r.quantizedAccuracy());
                out.put("calibration", r.calibration());
                if (!json) System.out.print(r);
            }
        }
        if (json) System.out.println(Json.object(out));
        return 0;
    }

    /** A double, not Args.getFloat: 99.99f would print and calibrate as 99.98999786. */
    private static double parsePercentile(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--percentile needs a number, got '" + text + "'");
        }
    }

    private static int[] parseShape(String text) {
        try {
            return Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--input-shape needs whole numbers separated by commas, got '" + text + "'");
        }
    }

    /** Inputs uniform in [0, 1) (the range of the toolkit's image data sets), fixed seed, label 0. */
    private static Dataset randomInputs(int[] inputShape, int classes, int n) {
        int size = Arrays.stream(inputShape).skip(1).reduce(1, (x, y) -> x * y);
        float[] f = new float[n * size];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < f.length; i++) f[i] = (float) rng.nextDouble();
        return new Dataset("random inputs", new int[] {1, 1, size}, classes, f, new int[n]);
    }
}
