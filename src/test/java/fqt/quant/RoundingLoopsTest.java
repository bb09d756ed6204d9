package fqt.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The whole-array rounding loops and the draws made ahead give the element-wise results and random draws, bit for bit. */
class RoundingLoopsTest {
    @Test
    void jumpIsSegmentSteps() {
        Random r = new Random(3);
        for (int n = 0; n < 1000; n++) {
            int x = r.nextInt() | 1, y = x;
            for (int k = 0; k < Xorshift32.SEGMENT; k++) y = Xorshift32.step(y);
            assertEquals(y, Xorshift32.jump(x));
        }
    }

    /** A stream's first small take makes a vector of blocks at most; once draws run out again, it makes AHEAD_BLOCKS at least. */
    @Test
    void aFreshStreamMakesWhatItNeeds() {
        Xorshift32 s = new Xorshift32(3);
        s.take(100);
        assertTrue(s.drawn().length <= 2 * Xorshift32.BLOCK, "first take made " + s.drawn().length + " draws");
        s.take(s.drawn().length); // more than are left: a refill
        assertTrue(s.drawn().length >= Xorshift32.AHEAD_BLOCKS * Xorshift32.BLOCK, "refill made " + s.drawn().length + " draws");
    }

    /** take, nextInt and setState mixed at random hand out the serial chain's numbers, and state() follows it. */
    @Test
    void drawsMadeAheadAreTheSerialChain() {
        Random r = new Random(11);
        Xorshift32 ahead = new Xorshift32(42);
        int serial = 42;
        for (int op = 0; op < 3000; op++) {
            int kind = r.nextInt(10);
            if (kind < 6) {
                int n = r.nextInt(8) == 0 ? r.nextInt(12 * Xorshift32.BLOCK) : r.nextInt(900); // large ones are made in parts
                int at = ahead.take(n);
                for (int k = 0; k < n; k++) {
                    serial = Xorshift32.step(serial);
                    assertEquals(serial, ahead.drawn()[at + k], "op " + op + " draw " + k + " of " + n);
                }
            } else if (kind < 9) {
                serial = Xorshift32.step(serial);
                assertEquals(serial, ahead.nextInt(), "op " + op);
            } else {
                serial = r.nextInt();
                ahead.setState(serial);
                if (serial == 0) serial = Xorshift32.ZERO_SEED_REPLACEMENT;
            }
            assertEquals(serial, ahead.state(), "op " + op);
        }
    }

    /** Blocks, element by element and lane by lane, are the serial chain after each segment's start. */
    @Test
    void blockPathsAreTheChain() {
        Random r = new Random(13);
        int count = 5, chains = count * Xorshift32.CHAINS;
        int[] starts = new int[3 * Xorshift32.CHAINS + chains];
        for (int i = 0; i < starts.length; i++) starts[i] = r.nextInt() | 1;
        for (boolean vectors : RoundingLoops.VECTORS ? new boolean[] {false, true} : new boolean[] {false}) {
            int[] d = new int[5 + count * Xorshift32.BLOCK];
            Xorshift32.blocks(starts, 3, count, d, 5, vectors ? new int[Lanes.TILE] : null);
            for (int j = 0; j < chains; j++) {
                int x = starts[3 * Xorshift32.CHAINS + j];
                for (int k = 0; k < Xorshift32.SEGMENT; k++) {
                    x = Xorshift32.step(x);
                    assertEquals(x, d[5 + j * Xorshift32.SEGMENT + k], "vectors " + vectors + " segment " + j + " draw " + k);
                }
            }
        }
    }

    @Test
    void sameCodesAndDrawsAsElementWise() {
        Random r = new Random(5);
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e20f, -1e20f, 1024f, -1024f, 1023.7f,
                -1024.3f, -0f, 0f, -0.5f, 0.5f, 1.5f, 2.5f, -1.5f, -2.5f, -1e-9f, 1e-9f, 0x1.0p-149f, -0x1.0p-149f, 255.99f, -255.2f,
                2e9f, -2e9f, 127.5f, 0.49999997f, -0.49999997f, 1023.99994f, -1023.99994f};
        for (int len : new int[] {0, 1, 7, 8, 17, 1023, 1024, 1025, 3 * 1024 + 100, 50_176}) {
            float[] v = new float[len + 10];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextInt(8) == 0 ? special[r.nextInt(special.length)] : (float) (r.nextGaussian() * 200);
            }
            for (Rounding mode : Rounding.values()) {
                for (int zp : new int[] {0, 37, 255}) {
                    int lo = r.nextBoolean() ? 0 : zp;
                    int seed = r.nextInt();
                    Xorshift32 a = new Xorshift32(seed), b = new Xorshift32(seed);
                    byte[] expected = new byte[len], got = new byte[len];
                    for (int i = 0; i < len; i++) {
                        int q = mode.round(v[i + 5], a) + zp;
                        expected[i] = (byte) (q < lo ? lo : Math.min(q, 255));
                    }
                    float[] input = v.clone();
                    RoundingLoops.round(input, 5, 5 + len, got, 0, zp, lo, mode, b);
                    assertArrayEquals(expected, got, mode + " len " + len + " zp " + zp);
                    assertArrayEquals(v, input, "the input is left as it was");
                    assertEquals(a.state(), b.state(), mode + " len " + len);
                    // Each path on its own: element by element, and lane by lane.
                    for (boolean vectors : RoundingLoops.VECTORS ? new boolean[] {false, true} : new boolean[] {false}) {
                        Xorshift32 c = new Xorshift32(seed);
                        byte[] path = new byte[len];
                        float add = mode == Rounding.NEAREST ? 0.5f : 0f;
                        int at = mode == Rounding.STOCHASTIC ? c.take(len) : 0;
                        int[] d = mode == Rounding.STOCHASTIC ? c.drawn() : null;
                        RoundingLoops.codes(v, 5, len, 1f, add, d, at, path, 0, zp, lo, vectors);
                        assertArrayEquals(expected, path, mode + " len " + len + " zp " + zp + " vectors " + vectors);
                        // The quotients by a divisor: each path as if the quotient were stored first.
                        float div = 0.37f + r.nextFloat();
                        float[] quotients = new float[v.length];
                        for (int i = 0; i < v.length; i++) quotients[i] = v[i] / div;
                        byte[] stored = new byte[len], fused = new byte[len];
                        RoundingLoops.codes(quotients, 5, len, 1f, add, d, at, stored, 0, zp, lo, vectors);
                        RoundingLoops.codes(v, 5, len, div, add, d, at, fused, 0, zp, lo, vectors);
                        assertArrayEquals(stored, fused, mode + " len " + len + " divided, vectors " + vectors);
                    }
                }
            }
        }
    }

    /** The tests run with the module (pom.xml's vector.module.flag), so the lane-by-lane path is the one they check. */
    @Test
    void vectorPathIsOn() {
        assertTrue(RoundingLoops.VECTORS, "jdk.incubator.vector is not in the boot layer: the tests run without pom.xml's vector.module.flag");
    }
}
