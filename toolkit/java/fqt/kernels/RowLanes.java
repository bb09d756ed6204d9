package fqt.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels' integer loops ({@link Rows}, {@link ReluU8}) lane by lane with the Vector API, over
 * the first whole vectors of a row (the caller does the rest element by element); loaded only when the module is there.
 * Integer sums are exact (modulo 2^32 like the scalar ones), so the order of the lanes does not matter.
 * The species are those of {@code fqt.quant.Lanes} (see there why there is one of each).
 */
final class RowLanes {
    private RowLanes() {}

    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** The bytes of one int vector's lanes. */
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(I.vectorBitSize() / 4));
    static final int LANES = I.length();
    /** The one float species (fqt.quant.Lanes uses the same). */
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int FLOAT_LANES = F.length();

    /** {@code sum of e[eo + k] * x[xo + k]} over k in [0, n), n a multiple of LANES. */
    static int dot(int[] e, int eo, int[] x, int xo, int n) {
        IntVector acc = IntVector.zero(I);
        for (int k = 0; k < n; k += LANES) acc = acc.add(IntVector.fromArray(I, e, eo + k).mul(IntVector.fromArray(I, x, xo + k)));
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** The codes {@code w[wo + k] & 0xFF} of one vector's lanes. */
    private static IntVector codes(byte[] w, int wo) {
        return ((IntVector) ByteVector.fromArray(B, w, wo).convertShape(VectorOperators.B2I, I, 0)).and(0xFF);
    }

    /** {@code sum of x[k] * (w[wo + k] & 0xFF)} over k in [0, n), n a multiple of LANES. */
    static int dotCodes(int[] x, byte[] w, int wo, int n) {
        IntVector acc = IntVector.zero(I);
        for (int k = 0; k < n; k += LANES) acc = acc.add(IntVector.fromArray(I, x, k).mul(codes(w, wo + k)));
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** {@code acc[k] += e * (w[wo + k] & 0xFF)} for k in [0, n), n a multiple of LANES. */
    static void mulAddCodes(int[] acc, int e, byte[] w, int wo, int n) {
        for (int k = 0; k < n; k += LANES) IntVector.fromArray(I, acc, k).add(codes(w, wo + k).mul(e)).intoArray(acc, k);
    }

    /** {@code acc[a + k] += w * x[xo + k]} for k in [0, n), n a multiple of LANES. */
    static void mulAdd(int[] acc, int a, int w, int[] x, int xo, int n) {
        for (int k = 0; k < n; k += LANES) IntVector.fromArray(I, acc, a + k).add(IntVector.fromArray(I, x, xo + k).mul(w)).intoArray(acc, a + k);
    }

    /** {@link Rows#mulAdd9} for k in [0, n), n a multiple of LANES, the nine centred weights given. */
    static void mulAdd9(int[] acc, int w0, int w1, int w2, int w3, int w4, int w5, int w6, int w7, int w8,
                        int[] x, int base, int rowStep, int colStep, int n) {
        int o0 = base, o1 = o0 + colStep, o2 = o1 + colStep, o3 = base + rowStep, o4 = o3 + colStep, o5 = o4 + colStep;
        int o6 = o3 + rowStep, o7 = o6 + colStep, o8 = o7 + colStep;
        for (int k = 0; k < n; k += LANES) {
            IntVector s = IntVector.fromArray(I, x, o0 + k).mul(w0)
                    .add(IntVector.fromArray(I, x, o1 + k).mul(w1))
                    .add(IntVector.fromArray(I, x, o2 + k).mul(w2))
                    .add(IntVector.fromArray(I, x, o3 + k).mul(w3))
                    .add(IntVector.fromArray(I, x, o4 + k).mul(w4))
                    .add(IntVector.fromArray(I, x, o5 + k).mul(w5))
                    .add(IntVector.fromArray(I, x, o6 + k).mul(w6))
                    .add(IntVector.fromArray(I, x, o7 + k).mul(w7))
                    .add(IntVector.fromArray(I, x, o8 + k).mul(w8));
            IntVector.fromArray(I, acc, k).add(s).intoArray(acc, k);
        }
    }

    /** {@code y[yo + k] += a * x[k]} (the product rounded, then the sum: no fused multiply-add) for k in [0, n), n a multiple of FLOAT_LANES. */
    static void addScaled(float[] y, int yo, float a, float[] x, int n) {
        for (int k = 0; k < n; k += FLOAT_LANES) {
            FloatVector.fromArray(F, y, yo + k).add(FloatVector.fromArray(F, x, k).mul(a)).intoArray(y, yo + k);
        }
    }

    /**
     * {@link Rows#gradient9}'s nine sums over k in [0, n), n a multiple of LANES, into {@code sums[0, 9)}:
     * e read once for the nine taps.
     */
    static void dot9(int[] e, int[] x, int base, int rowStep, int n, int[] sums) {
        IntVector a0 = IntVector.zero(I), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0;
        int r1 = base + rowStep, r2 = r1 + rowStep;
        for (int k = 0; k < n; k += LANES) {
            IntVector v = IntVector.fromArray(I, e, k);
            a0 = a0.add(v.mul(IntVector.fromArray(I, x, base + k)));
            a1 = a1.add(v.mul(IntVector.fromArray(I, x, base + 1 + k)));
            a2 = a2.add(v.mul(IntVector.fromArray(I, x, base + 2 + k)));
            a3 = a3.add(v.mul(IntVector.fromArray(I, x, r1 + k)));
            a4 = a4.add(v.mul(IntVector.fromArray(I, x, r1 + 1 + k)));
            a5 = a5.add(v.mul(IntVector.fromArray(I, x, r1 + 2 + k)));
            a6 = a6.add(v.mul(IntVector.fromArray(I, x, r2 + k)));
            a7 = a7.add(v.mul(IntVector.fromArray(I, x, r2 + 1 + k)));
            a8 = a8.add(v.mul(IntVector.fromArray(I, x, r2 + 2 + k)));
        }
        sums[0] = a0.reduceLanes(VectorOperators.ADD);
        sums[1] = a1.reduceLanes(VectorOperators.ADD);
        sums[2] = a2.reduceLanes(VectorOperators.ADD);
        sums[3] = a3.reduceLanes(VectorOperators.ADD);
        sums[4] = a4.reduceLanes(VectorOperators.ADD);
        sums[5] = a5.reduceLanes(VectorOperators.ADD);
        sums[6] = a6.reduceLanes(VectorOperators.ADD);
        sums[7] = a7.reduceLanes(VectorOperators.ADD);
        sums[8] = a8.reduceLanes(VectorOperators.ADD);
    }

    /** Byte lanes: the codes of one int vector's lanes, the one byte species of these loops. */
    static final int BYTE_LANES = B.length();

    /** Lanes where the code {@code x & 0xFF} is above {@code zp} (unsigned order as signed, by flipping the top bit). */
    private static jdk.incubator.vector.VectorMask<Byte> above(byte[] x, int i, int zp) {
        return ByteVector.fromArray(B, x, i).lanewise(VectorOperators.XOR, (byte) 0x80).compare(VectorOperators.GT, (byte) (zp ^ 0x80));
    }

    /** {@code y[i] = x[i] > zp ? x[i] : zp} (as codes) for i in [0, n), n a multiple of BYTE_LANES. */
    static void relu(byte[] x, int zp, byte[] y, int n) {
        ByteVector z = ByteVector.broadcast(B, (byte) zp);
        for (int i = 0; i < n; i += BYTE_LANES) z.blend(ByteVector.fromArray(B, x, i), above(x, i, zp)).intoArray(y, i);
    }

    /** Lanes where the code {@code x & 0xFF} is below {@code hi}, hi in [0, 255]. */
    private static jdk.incubator.vector.VectorMask<Byte> below(byte[] x, int i, int hi) {
        return ByteVector.fromArray(B, x, i).lanewise(VectorOperators.XOR, (byte) 0x80).compare(VectorOperators.LT, (byte) (hi ^ 0x80));
    }

    /**
     * {@code dx[i] = qlo < x[i] && x[i] < qhi ? dy[i] : eZp} (as codes) for i in [0, n), n a multiple
     * of BYTE_LANES; qlo below 0 or qhi above 255 bound nothing.
     */
    static void clampErrors(byte[] x, int qlo, int qhi, byte[] dy, int eZp, byte[] dx, int n) {
        ByteVector e = ByteVector.broadcast(B, (byte) eZp);
        int lo = Math.min(qlo, 255), hi = Math.max(qhi, 0);
        for (int i = 0; i < n; i += BYTE_LANES) {
            jdk.incubator.vector.VectorMask<Byte> pass = hi > 255 ? B.maskAll(true) : below(x, i, hi);
            if (lo >= 0) pass = pass.and(above(x, i, lo));
            e.blend(ByteVector.fromArray(B, dy, i), pass).intoArray(dx, i);
        }
    }

    /** {@code dx[i] = x[i] > zp ? dy[i] : eZp} (as codes) for i in [0, n), n a multiple of BYTE_LANES. */
    static void reluErrors(byte[] x, int zp, byte[] dy, int eZp, byte[] dx, int n) {
        ByteVector e = ByteVector.broadcast(B, (byte) eZp);
        for (int i = 0; i < n; i += BYTE_LANES) e.blend(ByteVector.fromArray(B, dy, i), above(x, i, zp)).intoArray(dx, i);
    }
}
