package fqt.djl;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchNormFoldTest {

    /** Folded weights applied to x equal BatchNorm applied to the unfolded layer's output. */
    @Test
    void foldedLayerComputesBatchNormOfTheLayer() {
        SplittableRandom rng = new SplittableRandom(7);
        int channels = 3, per = 5;
        float[] w = random(rng, channels * per, 1), b = random(rng, channels, 1), x = random(rng, per, 2);
        float[] gamma = random(rng, channels, 1), beta = random(rng, channels, 1), mean = random(rng, channels, 1);
        float[] var = new float[channels];
        for (int c = 0; c < channels; c++) var[c] = 0.1f + (float) rng.nextDouble();
        SourceOp.BatchNorm bn = new SourceOp.BatchNorm("bn", param("gamma", gamma), param("beta", beta), param("mean", mean),
                param("var", var), 1e-5f);
        float[] wf = w.clone(), bf = b.clone();
        BatchNormFold.fold(wf, bf, bn, "layer");
        for (int c = 0; c < channels; c++) {
            double y = b[c], yf = bf[c];
            for (int i = 0; i < per; i++) {
                y += (double) w[c * per + i] * x[i];
                yf += (double) wf[c * per + i] * x[i];
            }
            double expected = (y - mean[c]) / Math.sqrt(var[c] + 1e-5) * gamma[c] + beta[c];
            assertEquals(expected, yf, 1e-5, "channel " + c);
        }
    }

    @Test
    void channelCountsMustAgree() {
        SourceOp.BatchNorm bn = new SourceOp.BatchNorm("'bn' BatchNorm2d", null, null, param("mean", new float[4]),
                param("var", new float[4]), 1e-5f);
        ImportException e = assertThrows(ImportException.class, () -> BatchNormFold.fold(new float[6], new float[3], bn, "conv"));
        assertEquals("'bn' BatchNorm2d: BatchNorm over 4 channels follows conv with 3 output channels", e.getMessage());
    }

    private static SourceOp.Param param(String name, float[] v) {
        return new SourceOp.Param(name, new long[] {v.length}, v);
    }

    private static float[] random(SplittableRandom rng, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        return v;
    }
}
