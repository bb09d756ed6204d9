package fqt.train;

import static org.junit.jupiter.api.Assertions.*;

import fqt.nn.Models;
import fqt.nn.Weights;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A rule's deltas over a list of structures (interleaved loops) are the one-by-one deltas, bit for bit, state included. */
class InterleavedDeltasTest {
    @Test
    void standardizedDeltasInGroupsAreTheSerialOnes() {
        Random r = new Random(23);
        for (int layer = 0; layer < 4; layer++) {
            Weights w = Models.smallCnn(new int[] {1, 28, 28}, 10, 1).weightLayers().get(layer).weights();
            int size = w.structureSize;
            for (int n : new int[] {1, 3, 4, 5, 9, w.structures}) {
                if (n > w.structures) continue;
                int[] list = r.ints(0, w.structures).distinct().limit(n).toArray();
                StandardizedSgd rule = new StandardizedSgd(0.002f, 0.1f);
                StandardizedSgd.State one = rule.newState(w), many = rule.newState(w);
                for (int round = 0; round < 3; round++) { // the later rounds read the smoothed state the first one set
                    float[] g = new float[w.structures * size], gb = new float[w.structures];
                    for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian() * 1e-3f;
                    for (int o = 0; o < gb.length; o++) gb[o] = (float) r.nextGaussian() * 1e-3f;
                    float[] expected = g.clone(), expectedBias = gb.clone();
                    for (int o : list) expectedBias[o] = rule.delta(w, one, o, expected, o * size, gb[o], 1, true);
                    rule.deltas(w, many, list, 0, n, g, gb, 1, true);
                    String what = "layer " + layer + " n " + n + " round " + round;
                    assertArrayEquals(expected, g, what);
                    assertArrayEquals(expectedBias, gb, what);
                    assertArrayEquals(one.mean, many.mean, what + ": state");
                    assertArrayEquals(one.std, many.std, what + ": state");
                }
            }
        }
    }
}
