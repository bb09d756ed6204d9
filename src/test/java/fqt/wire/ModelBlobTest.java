package fqt.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.data.Dataset;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.select.PartialUpdates;
import fqt.train.Training;
import fqt.train.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The Java side of firmware/BLOB.md; the C loader's side is firmware/tests/test_model_blob.c. */
class ModelBlobTest {
    static final int[] SHAPE = {1, 4, 4};

    static Dataset data() {
        float[] x = new float[6 * 16];
        for (int i = 0; i < x.length; i++) x[i] = (i * 37 % 101) / 100f;
        return new Dataset("tiny", SHAPE, 3, x, new int[] {0, 1, 2, 0, 1, 2});
    }

    static Training training(Optimizer o) {
        return Fqt.train(Models.mlp(SHAPE, 3, 1, 5)).precision(Precision.UINT8).optimizer(o).batch(7).seed(-2L).calibration(4).progress(null);
    }

    @Test
    void headerSettingsAndCrc() {
        byte[] b = ModelBlob.forRun(training(Optimizer.momentum(0.25f, 0.75f)), data());
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('F', b[0]);
        assertEquals('B', b[3]);
        assertEquals(ModelBlob.VERSION, bb.getShort(4));
        assertEquals(b.length, bb.getInt(8));
        assertEquals(Precision.UINT8.ordinal(), b[16]);
        assertEquals(2, b[19], "momentum");
        assertEquals(7, bb.getInt(28), "batch");
        assertEquals(-2L, bb.getLong(32), "seed");
        assertEquals(0.25f, bb.getFloat(40));
        assertEquals(0.75f, bb.getFloat(44));
        assertEquals(1f, bb.getFloat(52), "full updates");
        assertEquals(4, bb.getInt(96), "layers: Flatten, Linear, ReLU, Linear");
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        assertEquals((int) crc.getValue(), bb.getInt(b.length - 4));
    }

    /**
     * Walks every field of the training configuration, the optimizer's and the partial updates'
     * included (every permitted optimizer): each changed value must come back from the blob, so a
     * field that does not reach the board fails here by name. A new field of a type this walk cannot
     * vary fails too.
     */
    @Test
    void everyConfigurationFieldReachesTheBlob() throws Exception {
        TrainingConfig base = training(Optimizer.sgd(0.1f)).partialUpdates(PartialUpdates.lambdaMin(0.25).lambdaMax(0.5)).config();
        Map<String, TrainingConfig> variants = new LinkedHashMap<>();
        ConfigWalk.variants("", base, variants);
        ConfigWalk.variants("batch 1: ", Fqt.train(Models.mlp(SHAPE, 3, 1, 5)).config(base).batch(1).config(), variants);
        assertTrue(variants.keySet().containsAll(List.of("precision=FLOAT32", "optimizer=Adam.beta2", "partialUpdates.fullHead", "epochs", "trainLast",
                "gradients=INT8", "batch 1: gradients=IN_PLACE")), variants.keySet().toString());
        Model model = Models.mlp(SHAPE, 3, 1, 5);
        for (Map.Entry<String, TrainingConfig> v : variants.entrySet()) {
            TrainingConfig c = v.getValue();
            assertNotEquals(base, c, v.getKey());
            byte[] blob = ModelBlob.write(Training.prepareModel(model, c, data()), c);
            assertEquals(c, ModelBlob.readConfig(blob), v.getKey() + " is lost on the way to the board");
        }
        System.out.println(variants.size() + " configuration variants round-trip through the model blob: " + variants.keySet());
    }

    @Test
    void anUnknownSettingsCodeIsNamed() {
        byte[] b = ModelBlob.forRun(training(Optimizer.sgd(0.1f)), data());
        b[17] = 9; // rounding (BLOB.md offset 17), with a CRC that fits
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, (int) crc.getValue());
        String msg = assertThrows(IllegalArgumentException.class, () -> ModelBlob.readConfig(b)).getMessage();
        assertTrue(msg.contains("rounding code 9"), msg);
    }

    @Test
    void fullHeadChangesTheBlob() {
        Training t = training(Optimizer.sgd(0.1f)).partialUpdates(PartialUpdates.lambdaMin(0.1));
        byte[] selected = ModelBlob.forRun(t, data());
        byte[] full = ModelBlob.forRun(t.partialUpdates(PartialUpdates.lambdaMin(0.1).fullHead(true)), data());
        assertEquals(selected.length, full.length);
        assertNotEquals(java.util.Arrays.toString(selected), java.util.Arrays.toString(full));
        assertEquals(1, full[61], "fullHead at offset 61 (BLOB.md)");
    }

    @Test
    void forRunIsTheModelFitStartsFrom() {
        Training t = training(Optimizer.sgd(0.1f));
        assertArrayEquals(ModelBlob.write(t.prepareModel(data()), t), ModelBlob.forRun(t, data()));
    }

    @Test
    void aModelInTheWrongStateIsRefused() {
        Model quantized = training(Optimizer.sgd(0.1f)).prepareModel(data());
        Training float32 = Fqt.train(quantized).precision(Precision.FLOAT32);
        assertThrows(IllegalArgumentException.class, () -> ModelBlob.write(quantized, float32));
        assertThrows(IllegalArgumentException.class, () -> ModelBlob.write(Models.mlp(SHAPE, 3, 1, 5), training(Optimizer.sgd(0.1f))));
    }
}
