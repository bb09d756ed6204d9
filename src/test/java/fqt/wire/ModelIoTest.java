package fqt.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.nn.AvgPool2d;
import fqt.nn.Conv2d;
import fqt.nn.Flatten;
import fqt.nn.Linear;
import fqt.nn.MaxPool2d;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.nn.ReLU;
import fqt.nn.WeightLayer;
import fqt.select.PartialUpdates;
import fqt.testing.TestData;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingConfig;
import fqt.train.TrainingRun;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SavedModel: a trained model saved as its model image and loaded from the file alone. */
class ModelIoTest {
    @TempDir Path dir;

    static TrainingRun trained(Training t) {
        DataSplit data = TestData.fashionMnist();
        return t.epochs(1).batch(8).seed(3).progress(null).fit(data.train().take(400), data.test().take(200));
    }

    /** Saves the run, loads the file, and checks model, configuration, image and predictions. */
    private SavedModel roundTrip(TrainingRun run, String file) throws Exception {
        Path path = SavedModel.of(run).save(dir.resolve(file));
        byte[] written = Files.readAllBytes(path);
        assertArrayEquals(ModelBlob.write(run.model(), run.config()), written, "the file is the model image");
        SavedModel loaded = SavedModel.load(path);
        assertEquals(run.config(), loaded.config());
        assertEquals(run.model().toString(), loaded.model().toString(), "the same layers");
        assertArrayEquals(written, loaded.blob(), "the loaded model writes the file again, byte for byte");
        Dataset test = TestData.fashionMnist().test().take(300);
        assertArrayEquals(run.predict(test), loaded.predict(test));
        assertEquals(run.evaluate(test).accuracy(), loaded.evaluate(test).accuracy());
        float[][] a = run.model().logits(test, run.config().evaluationContext()), b = loaded.model().logits(test, loaded.config().evaluationContext());
        for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], "logits of sample " + i);
        return loaded;
    }

    @Test
    void uint8ModelRoundTripsBitForBit() throws Exception {
        TrainingRun run = trained(Fqt.train(Models.smallCnn(new int[] {1, 28, 28}, 10)).precision(Precision.UINT8).trainLast(3)
                .partialUpdates(PartialUpdates.lambdaMin(0.5)).optimizer(Optimizer.adam(0.001f)));
        SavedModel loaded = roundTrip(run, "uint8.bin");
        assertTrue(loaded.model().quantized());
        assertEquals(run.model().inputParams(), loaded.model().inputParams());
        WeightLayer first = loaded.model().weightLayers().get(0);
        assertTrue(first.frozen(), "trainLast(3) froze the first of four weight layers");
        assertArrayEquals(run.model().weightLayers().get(0).weights().codes(), first.weights().codes());
        assertTrue(run.model().lossRange().seen());
        assertEquals(run.model().lossRange().max(), loaded.model().lossRange().max());
    }

    @Test
    void mixedAndFloat32ModelsRoundTrip() throws Exception {
        SavedModel mixed = roundTrip(trained(Fqt.train(Models.smallCnn(new int[] {1, 28, 28}, 10)).precision(Precision.MIXED).biasOnly(true)
                .optimizer(Optimizer.momentum(0.01f, 0.9f))), "mixed.bin");
        assertTrue(mixed.model().weightLayers().get(0).biasOnly());
        SavedModel fp = roundTrip(trained(Fqt.train(Models.mlp(new int[] {1, 28, 28}, 10, 5, 32)).precision(Precision.FLOAT32)), "float.bin");
        assertFalse(fp.model().quantized());
    }

    /** Every kind of layer and geometry the blob holds comes back as the same layer, float32 and quantized. */
    @Test
    void everyLayerKindIsRebuiltFromTheBlob() throws Exception {
        Model m = Models.init(Model.of(new int[] {2, 12, 12},
                new Conv2d(2, 4, 3, 3, 2, 1, 2), new ReLU(), Conv2d.depthwise(4, 3, 1, 1), new MaxPool2d(2, 3, 1),
                new Conv2d(4, 6, 1, 1, 0), new AvgPool2d(2), new AvgPool2d(2, 1, 1), AvgPool2d.global(), new Flatten(), new Linear(6, 3)), 9);
        Dataset data = new Dataset("ramp", new int[] {2, 12, 12}, 3, ramp(4 * 288), new int[] {0, 1, 2, 0});
        for (Precision p : Precision.values()) {
            TrainingConfig c = Fqt.train(m).precision(p).calibration(4).config();
            Model prepared = Training.prepareModel(m, c, data);
            byte[] blob = ModelBlob.write(prepared, c);
            Model read = ModelBlob.read(blob);
            assertEquals(prepared.toString(), read.toString(), p.toString());
            assertEquals("GlobalAvgPool2d", read.layer(7).kind());
            assertArrayEquals(blob, ModelBlob.write(read, ModelBlob.readConfig(blob)), p + ": the image again, byte for byte");
            assertArrayEquals(prepared.predict(data, c.evaluationContext()), read.predict(data, c.evaluationContext()), p.toString());
        }
    }

    /** A graph (a fan-out, Add, ReLU6, Clamp) comes back from its image with its edges, state and predictions. */
    @Test
    void aGraphIsRebuiltFromTheBlob() {
        fqt.nn.Graph g = fqt.nn.Graph.input(2, 12, 12);
        fqt.nn.Graph.Node x = g.input().then(new Conv2d(2, 4, 3, 1, 1)).then(fqt.nn.Clamp.relu6());
        fqt.nn.Graph.Node y = x.then(new Conv2d(4, 4, 1, 1, 0)).then(new fqt.nn.Clamp(-0.5f, 2f));
        Model m = Models.init(g.build(x.add(y).then(new ReLU()).then(AvgPool2d.global()).then(new Flatten()).then(new Linear(4, 3))), 9);
        Dataset data = new Dataset("ramp", new int[] {2, 12, 12}, 3, ramp(4 * 288), new int[] {0, 1, 2, 0});
        for (Precision p : Precision.values()) {
            TrainingConfig c = Fqt.train(m).precision(p).calibration(4).trainLast(2).config();
            Model prepared = Training.prepareModel(m, c, data);
            byte[] blob = ModelBlob.write(prepared, c);
            Model read = ModelBlob.read(blob);
            assertEquals(prepared.toString(), read.toString(), p.toString());
            assertArrayEquals(blob, ModelBlob.write(read, ModelBlob.readConfig(blob)), p + ": the image again, byte for byte");
            assertArrayEquals(prepared.predict(data, c.evaluationContext()), read.predict(data, c.evaluationContext()), p.toString());
        }
    }

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (i * 53 % 97) / 97f;
        return x;
    }

    @Test
    void aCorruptOrTruncatedFileIsRejectedNamingTheFileAndTheProblem() throws Exception {
        TrainingConfig c = Fqt.train(Models.mlp(new int[] {1, 4, 4}, 3, 1, 5)).precision(Precision.FLOAT32).config();
        byte[] blob = ModelBlob.write(Models.mlp(new int[] {1, 4, 4}, 3, 1, 5), c);

        Path truncated = Files.write(dir.resolve("truncated.bin"), Arrays.copyOf(blob, blob.length - 10));
        assertMessage(truncated, "not a model blob of version " + ModelBlob.VERSION);

        byte[] flipped = blob.clone();
        flipped[200] ^= 0x10;
        assertMessage(Files.write(dir.resolve("flipped.bin"), flipped), "CRC mismatch");

        byte[] kind = blob.clone(); // a valid CRC around a layer kind no model has
        kind[ModelBlob.LAYERS_OFFSET] = 9;
        assertMessage(Files.write(dir.resolve("kind.bin"), withCrc(kind)), "layer 0 has kind 9");

        byte[] precision = blob.clone();
        precision[16] = 7;
        assertInstanceOf(IllegalArgumentException.class, assertThrows(RuntimeException.class,
                () -> SavedModel.load(Files.write(dir.resolve("precision.bin"), withCrc(precision)))));

        assertMessage(Files.writeString(dir.resolve("text.bin"), "a model, honestly"), "not a model blob");
        assertThrows(UncheckedIOException.class, () -> SavedModel.load(dir.resolve("missing.bin")));
    }

    private static void assertMessage(Path file, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SavedModel.load(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    private static byte[] withCrc(byte[] blob) {
        CRC32 crc = new CRC32();
        crc.update(blob, 0, blob.length - 4);
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).putInt(blob.length - 4, (int) crc.getValue());
        return blob;
    }
}
