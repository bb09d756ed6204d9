package fqt.wire;

import fqt.data.Dataset;
import fqt.nn.ErrorRange;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.select.PartialUpdates;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Writes the committed fuzz seeds, {@code firmware/fuzz/corpus/<target>/}: for "frame" the line
 * bytes of every frame in {@code testdata/wire/vectors.txt} and a stream of several; for
 * "model_blob" model blobs of each precision, optimizer and layer kind the toolkit writes. Run from
 * the repository root when the formats change:
 *
 * <pre>java -cp CLASSES:TEST_CLASSES fqt.wire.FuzzSeeds</pre>
 */
public final class FuzzSeeds {
    private static final Path CORPUS = Path.of("firmware/fuzz/corpus");
    private static final int[] SHAPE = {1, 8, 8};

    public static void main(String[] args) throws IOException {
        Path frames = Files.createDirectories(CORPUS.resolve("frame"));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        String name = null;
        for (String line : WireVectors.generate().split("\n")) {
            if (line.startsWith("frame ")) name = line.substring(6);
            if (line.startsWith("bad_frame ")) name = "bad_" + line.substring(10);
            if (line.startsWith("wire ") && name != null) {
                byte[] wire = HexFormat.of().parseHex(line.substring(5));
                Files.write(frames.resolve(name + ".bin"), wire);
                if (wire.length < 200) stream.writeBytes(wire);
            }
        }
        Files.write(frames.resolve("stream_of_frames.bin"), stream.toByteArray());

        Path blobs = Files.createDirectories(CORPUS.resolve("model_blob"));
        Dataset data = data();
        blob(blobs, "cnn_uint8_stochastic_partial", Fqt.train(Models.smallCnn(SHAPE, 3, 1)).precision(Precision.UINT8)
                .rounding(Rounding.STOCHASTIC).partialUpdates(PartialUpdates.lambdaMin(0.25)).optimizer(Optimizer.sgd(0.05f)), data);
        blob(blobs, "cnn_uint8_ema_errors_last_layer", Fqt.train(Models.smallCnn(SHAPE, 3, 2)).precision(Precision.UINT8)
                .errorRange(ErrorRange.EMA).trainLast(1).optimizer(Optimizer.momentum(0.01f, 0.9f)), data);
        blob(blobs, "mlp_mixed_bias_only", Fqt.train(Models.mlp(SHAPE, 3, 3, 16, 8)).precision(Precision.MIXED).biasOnly(true)
                .optimizer(Optimizer.standardizedSgd(0.01f)), data);
        blob(blobs, "mlp_float32_adam", Fqt.train(Models.mlp(SHAPE, 3, 4, 12)).precision(Precision.FLOAT32)
                .optimizer(Optimizer.adam(0.001f)), data);
        blob(blobs, "residual_uint8_ema_relu6", Fqt.train(residual()).precision(Precision.UINT8).errorRange(ErrorRange.EMA)
                .optimizer(Optimizer.sgd(0.05f)), data);
        blob(blobs, "residual_mixed_train_last", Fqt.train(residual()).precision(Precision.MIXED).trainLast(2)
                .optimizer(Optimizer.sgd(0.05f)), data);
        System.out.println("wrote seeds under " + CORPUS.toAbsolutePath());
    }

    /** A graph with a fan-out, an Add, a ReLU6 and global average pooling. */
    private static fqt.nn.Model residual() {
        fqt.nn.Graph g = fqt.nn.Graph.input(SHAPE);
        fqt.nn.Graph.Node x = g.input().then(new fqt.nn.Conv2d(1, 4, 3, 1, 1)).then(fqt.nn.Clamp.relu6());
        fqt.nn.Graph.Node y = x.then(new fqt.nn.Conv2d(4, 4, 3, 1, 1));
        return Models.init(g.build(x.add(y).then(new fqt.nn.ReLU()).then(fqt.nn.AvgPool2d.global()).then(new fqt.nn.Flatten())
                .then(new fqt.nn.Linear(4, 3))), 7);
    }

    private static void blob(Path dir, String name, Training t, Dataset data) throws IOException {
        Files.write(dir.resolve(name + ".blob"), ModelBlob.forRun(t.batch(4).seed(9).calibration(6).progress(null), data));
    }

    private static Dataset data() {
        float[] x = new float[6 * 64];
        for (int i = 0; i < x.length; i++) x[i] = (i * 37 % 101) / 100f;
        return new Dataset("seeds", SHAPE, 3, x, new int[] {0, 1, 2, 0, 1, 2});
    }
}
