package fqt.select;

import static org.junit.jupiter.api.Assertions.*;

import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Selection;
import fqt.nn.Tensor;
import fqt.quant.QuantParams;
import fqt.select.PartialUpdates.ErrorBy;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The selector of {@link PartialUpdates} on hand-made error tensors, through the {@link Selection} interface. */
class PartialUpdatesTest {
    // Layers: 0 Flatten, 1 Linear 4->8, 2 ReLU, 3 Linear 8->4 (the head).
    static final Model MODEL = Models.mlp(new int[] {1, 2, 2}, 4, 1, 8);

    static Tensor floats(float... v) {
        Tensor t = Tensor.float32(new int[] {v.length});
        System.arraycopy(v, 0, t.f, 0, v.length);
        return t;
    }

    static Tensor codes(QuantParams p, int... q) {
        Tensor t = Tensor.uint8(new int[] {q.length});
        for (int i = 0; i < q.length; i++) t.q[i] = (byte) q[i];
        t.params = p;
        return t;
    }

    static int[] select(Selection s, int layer, Tensor dy, int structures) {
        int[] sel = new int[structures];
        return Arrays.copyOf(sel, s.select(layer, dy, structures, sel));
    }

    @Test
    void sampleLossSetsTheBudgetAgainstTheLargestLossSoFar() {
        Selection s = PartialUpdates.lambdaMin(0.1).selector(MODEL);
        Tensor dy = floats(0.1f, -0.8f, 0.3f, 0f, -0.3f, 0.2f, 0.8f, 0.05f);
        s.beginSample(2f);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, select(s, 1, dy, 8), "the largest loss so far: r = 1");
        s.beginSample(0.5f); // r = 0.25: (0.1 + 0.25 * 0.9) * 8 = 2.6 -> 2
        assertArrayEquals(new int[] {1, 6}, select(s, 1, dy, 8), "|-0.8| and |0.8| tie, both kept");
        s.beginSample(1f); // r = 0.5: 0.55 * 8 = 4.4 -> 4; 0.3 and -0.3 tie, index 2 before 4
        assertArrayEquals(new int[] {1, 2, 4, 6}, select(s, 1, dy, 8));
        s.beginSample(0f);
        assertArrayEquals(new int[] {1}, select(s, 1, dy, 8), "0.1 * 8 = 0.8: at least one structure");
        s.beginSample(4f); // a new maximum
        assertEquals(8, select(s, 1, dy, 8).length);
    }

    @Test
    void uint8ErrorsRankByCodeDistanceFromTheZeroPoint() {
        Selection s = PartialUpdates.lambdaMin(0.5).lambdaMax(0.5).selector(MODEL);
        s.beginSample(1f);
        QuantParams p = new QuantParams(0.01f, 128);
        // |q - 128| = 28, 0, 30, 30, 2, 127, 128, 1: keep 4 of 8.
        Tensor dy = codes(p, 100, 128, 158, 98, 130, 255, 0, 129);
        assertArrayEquals(new int[] {2, 3, 5, 6}, select(s, 1, dy, 8));
    }

    @Test
    void structuresOfManyElementsSumTheirPlane() {
        // A conv-like error of 4 channels of 2x2 (structures own consecutive planes); the selector is sized by the model's largest layer (8).
        Selection s = PartialUpdates.lambdaMin(0.5).lambdaMax(0.5).selector(MODEL);
        s.beginSample(1f);
        Tensor dy = Tensor.float32(new int[] {4, 2, 2});
        float[] v = {1, -1, 0, 0, /**/ 0.5f, 0.5f, 0.5f, 0.5f, /**/ -3, 0, 0, 0, /**/ 0, 0, 0, 0.25f};
        System.arraycopy(v, 0, dy.f, 0, v.length);
        assertArrayEquals(new int[] {0, 2}, select(s, 1, dy, 4), "sums 2, 2, 3, 0.25: channel 0 wins the tie with 1");
        assertThrows(IllegalArgumentException.class, () -> select(s, 1, dy, 3), "16 elements do not split into 3 structures");
    }

    @Test
    void layerMeanErrorTracksTheLargestMeanPerLayer() {
        Selection s = PartialUpdates.lambdaMin(0.25).errorBy(ErrorBy.LAYER_MEAN_ERROR).selector(MODEL);
        s.beginSample(99f); // the loss plays no part
        QuantParams p = new QuantParams(0.5f, 10);
        Tensor big = codes(p, 18, 10, 2, 10, 10, 14, 10, 10); // |q - zp| = 8, 0, 8, 0, 0, 4, 0, 0: mean 20 * 0.5 / 8
        Tensor small = codes(p, 10, 12, 10, 10, 7, 10, 10, 10); // 0, 2, 0, 0, 3, 0, 0, 0: mean a quarter of big's
        assertEquals(8, select(s, 1, big, 8).length, "first mean of layer 1 is its maximum");
        // r = 0.25: (0.25 + 0.25 * 0.75) * 8 = 3.5 -> 3; magnitudes 0, 2, 0, 0, 3, 0, 0, 0 -> 4, 1, then 0 by index
        assertArrayEquals(new int[] {0, 1, 4}, select(s, 1, small, 8));
        assertEquals(8, select(s, 3, small, 8).length, "layer 3 keeps its own maximum");

        Selection f = PartialUpdates.lambdaMin(0.25).errorBy(ErrorBy.LAYER_MEAN_ERROR).selector(MODEL);
        assertEquals(4, select(f, 3, floats(1f, -1f, 2f, 0f), 4).length);
        // mean 0.25 of a maximum 1: (0.25 + 0.25 * 0.75) * 4 = 1.75 -> 1
        assertArrayEquals(new int[] {2}, select(f, 3, floats(0f, 0.25f, -0.5f, 0.25f), 4));
    }

    @Test
    void fullUpdatesAndAFullHeadSelectEverything() {
        assertSame(Selection.ALL, PartialUpdates.full().selector(MODEL), "lambdaMin 1 ranks nothing");
        Selection s = PartialUpdates.lambdaMin(0.1).fullHead(true).selector(MODEL);
        s.beginSample(5f);
        s.beginSample(0.1f);
        Tensor dy = floats(0.1f, -0.9f, 0.3f, 0.5f);
        assertArrayEquals(new int[] {0, 1, 2, 3}, select(s, 3, dy, 4), "layer 3 is the head");
        assertArrayEquals(new int[] {1}, select(s, 1, floats(0.1f, -0.9f, 0.3f, 0.5f, 0f, 0f, 0f, 0f), 8));
    }

    @Test
    void configurationIsImmutableAndValidated() {
        PartialUpdates a = PartialUpdates.lambdaMin(0.1);
        PartialUpdates b = a.lambdaMax(0.6).errorBy(ErrorBy.LAYER_MEAN_ERROR);
        assertEquals(1.0, a.lambdaMax());
        assertEquals(ErrorBy.SAMPLE_LOSS, a.errorBy());
        assertEquals(0.6f, b.lambdaMax(), "kept as float32");
        assertEquals(0.1f, b.lambdaMin());
        assertEquals(PartialUpdates.lambdaMin(0.1), a);
        assertEquals(1.0, PartialUpdates.full().lambdaMin());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PartialUpdates.lambdaMin(1.5)).getMessage().contains("lambdaMin"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PartialUpdates.lambdaMin(0.5).lambdaMax(0.2)).getMessage().contains("lambdaMax"));
        assertThrows(IllegalArgumentException.class, () -> PartialUpdates.lambdaMin(Double.NaN));
    }
}
