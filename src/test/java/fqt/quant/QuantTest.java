package fqt.quant;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class QuantTest {
    @Test
    void xorshift32FollowsMarsagliaAndNeverSticksAtZero() {
        Xorshift32 r = new Xorshift32(1);
        assertEquals(270369, r.nextInt()); // 1 -> 8193 -> 8193 -> 8193 ^ (8193 << 5)
        assertEquals(new Xorshift32(0).nextInt(), new Xorshift32(Xorshift32.ZERO_SEED_REPLACEMENT).nextInt());
        Xorshift32 u = new Xorshift32(7);
        double sum = 0;
        for (int i = 0; i < 100_000; i++) {
            float v = u.nextUnit();
            assertTrue(v >= 0f && v < 1f);
            sum += v;
        }
        assertEquals(0.5, sum / 100_000, 0.01);
    }

    @Test
    void roundingModes() {
        assertEquals(-2, Rounding.FLOOR.round(-1.5f, null));
        assertEquals(1, Rounding.FLOOR.round(1.999f, null));
        assertEquals(2, Rounding.NEAREST.round(1.5f, null));
        assertEquals(-1, Rounding.NEAREST.round(-1.5f, null)); // ties up
        assertEquals(-2, Rounding.NEAREST.round(-1.6f, null));
        assertEquals(1 << 30, Rounding.floorToInt(1e20f));
        assertEquals(-(1 << 30), Rounding.floorToInt(Float.NEGATIVE_INFINITY));
        assertEquals(0, Rounding.floorToInt(Float.NaN));
    }

    @Test
    void stochasticRoundingIsUnbiased() {
        Xorshift32 rng = new Xorshift32(3);
        long sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) sum += Rounding.STOCHASTIC.round(0.3f, rng);
        assertEquals(0.3, (double) sum / n, 0.005);
    }

    @Test
    void paramsFollowTheMethodAndRepresentZeroExactly() {
        QuantParams p = QuantParams.fromRange(-1f, 3f);
        assertEquals(4f / 255f, p.scale(), 0f);
        assertEquals(63, p.zeroPoint()); // floor(1 / (4/255)) = floor(63.75)
        assertEquals(0f, p.dequantize(p.zeroPoint()));
        QuantParams pos = QuantParams.fromRange(0.5f, 2f); // widened to contain 0
        assertEquals(0, pos.zeroPoint());
        assertEquals(2f / 255f, pos.scale(), 0f);
        QuantParams zeros = QuantParams.fromRange(0f, 0f);
        assertEquals(0f, zeros.dequantize(zeros.quantize(0f, Rounding.FLOOR, null)));
        assertThrows(ArithmeticException.class, () -> QuantParams.fromRange(Float.NaN, 1f));
        assertEquals(0, p.quantize(-100f, Rounding.NEAREST, null));
        assertEquals(255, p.quantize(100f, Rounding.NEAREST, null));
    }

    @Test
    void quantizeDequantizeErrorIsWithinHalfAStep() {
        QuantParams p = QuantParams.fromRange(-2f, 2f);
        for (float v = -2f; v <= 2f; v += 0.001f) {
            assertEquals(v, p.dequantize(p.quantize(v, Rounding.NEAREST, null)), p.scale() / 2 + 1e-6f);
        }
    }

    @Test
    void requantizerTracksAccumulatorRangeAndClampsForRelu() {
        Requantizer r = new Requantizer().reset(0.5f, 10, true, Rounding.FLOOR, null);
        assertEquals(10, r.apply(-100)); // below the zero point: clamped (fused ReLU)
        assertEquals(15, r.apply(10));
        assertEquals(255, r.apply(10_000));
        assertEquals(-100, r.accMin());
        assertEquals(10_000, r.accMax());
        assertEquals(3, Requantizer.quantizeBias(0.25f, 0.1f)); // 2.5 rounds up
    }

    /** applyRows (lane by lane where the rows are long enough) is apply on each element in row-major order: codes, draws and range. */
    @Test
    void applyRowsIsApplyOnEachElement() {
        java.util.Random r = new java.util.Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + r.nextInt(4), cols = r.nextInt(60), stride = cols + r.nextInt(5), off = r.nextInt(7);
            int[] acc = new int[off + rows * stride];
            for (int i = 0; i < acc.length; i++) acc[i] = trial % 5 == 0 ? r.nextInt() : r.nextInt(20_001) - 10_000;
            float m = (float) Math.abs(r.nextGaussian()) * 0.05f;
            int zp = r.nextInt(256), seed = 1 + r.nextInt(1000);
            boolean relu = r.nextBoolean();
            Rounding mode = Rounding.values()[trial % Rounding.values().length];
            byte[] rowsOut = new byte[rows * cols], oneByOne = new byte[rows * cols];
            Requantizer a = new Requantizer().reset(m, zp, relu, mode, new Xorshift32(seed));
            a.applyRows(acc, off, stride, rows, cols, rowsOut, 0);
            Requantizer b = new Requantizer().reset(m, zp, relu, mode, new Xorshift32(seed));
            for (int i = 0; i < rows; i++) for (int c = 0; c < cols; c++) oneByOne[i * cols + c] = (byte) b.apply(acc[off + i * stride + c]);
            assertArrayEquals(oneByOne, rowsOut, "trial " + trial + ": " + rows + " x " + cols + ", " + mode);
            if (rows * cols > 0) {
                assertEquals(b.accMin(), a.accMin(), "trial " + trial + " min");
                assertEquals(b.accMax(), a.accMax(), "trial " + trial + " max");
            }
        }
    }

    @Test
    void floatMathMatchesTheLibraryClosely() {
        for (float x = -80f; x <= 80f; x += 0.0173f) {
            double ref = Math.exp(x);
            assertEquals(ref, FloatMath.exp(x), Math.abs(ref) * 4e-7, "exp(" + x + ")");
        }
        for (float x = 1e-30f; x < 1e30f; x *= 1.37f) {
            double ref = Math.log(x);
            assertEquals(ref, FloatMath.log(x), 3e-7 * Math.max(1, Math.abs(ref)), "log(" + x + ")");
        }
        assertEquals(0f, FloatMath.log(1f));
        assertTrue(Float.isNaN(FloatMath.log(-1f)));
    }

    @Test
    void rangeTrackerBlendsObservations() {
        RangeTracker t = new RangeTracker();
        t.observe(-1f, 1f, 0.5f);
        t.observe(-3f, 3f, 0.5f);
        assertEquals(-2f, t.min());
        assertEquals(2f, t.max());
        RangeTracker frozen = new RangeTracker();
        frozen.observe(-1f, 1f, 0f);
        frozen.observe(-5f, 5f, 0f);
        assertEquals(1f, frozen.max());
    }
}
