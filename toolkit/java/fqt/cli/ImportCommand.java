package fqt.cli;

import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.djl.Import;
import fqt.djl.ImportedModel;
import fqt.djl.PtqReport;
import fqt.djl.Quantize;
import fqt.djl.QuantizedModel;
import fqt.djl.Verification;
import fqt.nn.Layer;
import fqt.nn.Loss;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./fqt import MODEL}: imports a TorchScript or ONNX model, checks it against DJL, evaluates and quantizes it. */
@Command(name = "import", description = {
    "a TorchScript or ONNX model: verify against DJL, float and uint8 (PTQ) test accuracy (or MSE)",
    "Imports a TorchScript file (torch.jit.script or torch.jit.trace, then save; through DJL's PyTorch engine) or an ONNX file"
        + " (opsets 11 to 18; checked with DJL's ONNX Runtime engine), BatchNorm folded, and prints the toolkit's architecture."})
final class ImportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "the TorchScript (.pt) or ONNX (.onnx) file")
    Path file;

    @Option(names = "--input-shape", paramLabel = "N,C,H,W", split = ",", hideParamSyntax = true,
            description = "the model's input, batch first, e.g. 1,1,28,28 (needed for TorchScript; for ONNX when the file leaves it open)")
    int[] shape;

    @Option(names = "--verify", description = "run DJL (PyTorch or ONNX Runtime) and the toolkit side by side: max |diff| of the outputs"
            + " (on the test set with --evaluate, else on 100 random inputs)")
    boolean verify;

    @Option(names = "--tolerance", paramLabel = "X", description = "largest difference --verify accepts (default: ${DEFAULT-VALUE})")
    double tolerance = ImportedModel.DEFAULT_TOLERANCE;

    @Option(names = "--evaluate", paramLabel = "DATA", description = "float test accuracy on fashion-mnist|mnist|kmnist|emnist-letters|emnist-digits")
    String dataName;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the IDX files are (default: Debian's /usr/share/datasets/...)")
    Path dataDir;

    @Option(names = "--ptq", description = "post-training quantization to uint8 (needs --evaluate): test accuracy and per-layer quantization error")
    boolean ptq;

    @Option(names = "--calibration", paramLabel = "N", defaultValue = "500", description = "training samples that calibrate the ranges (default: ${DEFAULT-VALUE})")
    int calibration;

    /** A double, not a float: 99.99f would print and calibrate as 99.98999786. */
    @Option(names = "--percentile", paramLabel = "P", description = "percentile ranges instead of min/max, e.g. 99.99")
    Double percentile;

    @Option(names = "--loss", paramLabel = "LOSS", description = "cross-entropy: a classifier, evaluated by accuracy; mse: a reconstruction"
            + " model (autoencoder), evaluated by the mean squared error of its output against the input (default: ${DEFAULT-VALUE})")
    String loss = "cross-entropy";

    @Option(names = "--json", description = "one JSON object: float_accuracy and quantized_accuracy (float_mse and quantized_mse with --loss mse),"
            + " max_abs_diff, ...")
    boolean json;

    @Override
    public Integer call() {
        if (ptq && dataName == null) throw new IllegalArgumentException("--ptq needs --evaluate DATA (its training set calibrates)");
        boolean mse = new CliEnum<>(Loss.class).convert(loss) == Loss.MSE;
        DataSplit data = dataName == null ? null : DataMixin.load(dataName, dataDir);
        Map<String, Object> out = new LinkedHashMap<>();
        try (ImportedModel fp = Import.file(file, shape == null ? null : Import.inputShape(shape))) {
            int[] input = IntStream.concat(IntStream.of(1), IntStream.of(fp.model().inputShape())).toArray();
            out.put("model", file.toString());
            out.put("input_shape", Arrays.toString(input));
            List<String> layers = new ArrayList<>();
            for (Layer l : fp.model().layers()) layers.add(l.describe());
            out.put("layers", String.join("; ", layers));
            if (!json) System.out.print(fp);
            Verification v = null;
            if (verify) {
                Dataset sample = data != null ? data.test() : randomInputs(input, fp.model().classes(), 100);
                v = fp.verify(sample, tolerance);
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
            if (data != null && mse) {
                double e = fp.meanSquaredError(data.test());
                out.put("float_mse", e);
                if (!json) System.out.printf("float test MSE (toolkit, float32): %.6f%n", e);
            } else if (data != null) {
                // Verifying on the test set has computed the toolkit's float accuracy already.
                double acc = v != null ? v.importedAccuracy() : fp.evaluate(data.test());
                out.put("float_accuracy", acc);
                if (!json) System.out.printf("float test accuracy (toolkit, float32): %.4f%n", acc);
            }
            if (ptq) {
                var builder = Quantize.ptq(fp).calibrate(data.train().take(calibration)).perTensor();
                if (percentile != null) builder.percentile(percentile);
                QuantizedModel q = builder.build();
                if (mse) {
                    double e = q.meanSquaredError(data.test());
                    out.put("quantized_mse", e);
                    if (!json) System.out.printf("uint8 test MSE (PTQ, %s): %.6f%n", q.calibration(), e);
                } else {
                    PtqReport r = q.report(data.test());
                    out.put("quantized_accuracy", r.quantizedAccuracy());
                    if (!json) System.out.print(r);
                }
                out.put("calibration", q.calibration());
            }
        }
        if (json) System.out.println(Json.object(out));
        return 0;
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
