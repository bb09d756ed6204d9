package fqt.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Rows}' integer loops lane by lane with the Vector API, over the first whole vectors of a
 * row (the caller does the rest element by element); loaded only when the module is there.
 * Integer sums are exact (modulo 2^32 like the scalar ones), so the order of the lanes does not matter.
 */
final class RowLanes {
    private RowLanes() {}

    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** The bytes of one int vector's lanes. */
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(I.vectorBitSize() / 4));
    static final int LANES = I.length();

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
}
