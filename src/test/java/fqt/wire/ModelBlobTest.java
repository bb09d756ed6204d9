package fqt.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fqt.data.Dataset;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
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
        assertEquals(4, bb.getInt(84), "layers: Flatten, Linear, ReLU, Linear");
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        assertEquals((int) crc.getValue(), bb.getInt(b.length - 4));
    }

    @Test
    void everyOptimizerHasItsCodeAndExactParameters() {
        assertEquals(new ModelBlob.OptimizerCode(0, 0.1f, 0f, 0f), ModelBlob.optimizer(Optimizer.sgd(0.1f).describe()));
        assertEquals(new ModelBlob.OptimizerCode(1, 3e-3f, 0.05f, 0f), ModelBlob.optimizer(Optimizer.standardizedSgd(3e-3f, 0.05f).describe()));
        assertEquals(new ModelBlob.OptimizerCode(2, 1.1754944e-38f, 0.9f, 0f), ModelBlob.optimizer(Optimizer.momentum(1.1754944e-38f, 0.9f).describe()));
        assertEquals(new ModelBlob.OptimizerCode(3, 0.001f, 0.9f, 0.999f), ModelBlob.optimizer(Optimizer.adam(0.001f).describe()));
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
