package fqt.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The quantization loops lane by lane with the Vector API, each bit for bit the scalar loop it
 * names ({@link RoundingLoops}, {@link WeightLoops}, {@link Xorshift32}; the kernels' are in
 * {@code fqt.kernels.RowLanes}); loaded only when the module is there. Every Vector API loop of the
 * simulator uses the same int, float and byte species: with two species of one element type in a
 * JVM the JIT sees two receiver types in the shared vector methods and boxes vectors. Rounding: the float-to-int
 * conversion is not compiled to a vector instruction by JDK 17, so the floor is taken with the
 * 1.5 * 2^23 trick instead: for c in [-1024, 1024], {@code c + 1.5 * 2^23} rounds c to the nearest
 * integer k (ties to even: exact float32 addition, ulp 1 there) and its bits are those of
 * 1.5 * 2^23 plus k; floor(c) is k, or k - 1 when k > c. NaN lanes become 0 first, as the
 * scalar conversion makes them.
 */
final class Lanes {
    private Lanes() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Bytes of a vector of F.length() lanes (a quarter of its bits), when that shape exists. */
    private static final VectorSpecies<Byte> B = F.vectorBitSize() >= 256 ? ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(F.vectorBitSize() / 4)) : null;
    private static final float MAGIC = 0x1.8p23f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    /** A draw's top 24 bits times this are its unit in [0, 1). */
    private static final FloatVector UNIT = FloatVector.broadcast(F, 0x1.0p-24f);
    /** The bound of {@link #codes}' clamp: |c| at most this (and not NaN) needs none. */
    private static final FloatVector RANGE = FloatVector.broadcast(F, 1024f);

    /** Lanes of a float vector: the loops below do the first {@code n - n % LANES} elements. */
    static final int LANES = F.length();

    /** Vectors of 8 or more lanes (256-bit and wider), whose bytes fit a vector shape. */
    static boolean usable() { return B != null; }

    /** {@link RoundingLoops#codes} for the first whole vectors of the n elements; returns how many it did. */
    static int codes(float[] v, int from, int n, float div, float add, int[] d, int dAt, byte[] q, int qOff, int zp, int lo) {
        int lanes = F.length(), i = 0;
        boolean divide = div != 1f;
        for (; i + lanes <= n; i += lanes) {
            FloatVector x = FloatVector.fromArray(F, v, from + i);
            if (divide) x = x.div(div);
            if (d != null) { // x + u * 2^-24 in one rounding: the product is exact (u < 2^24)
                FloatVector u = (FloatVector) IntVector.fromArray(I, d, dAt + i).lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0);
                x = u.fma(UNIT, x);
            } else if (add != 0f) {
                x = x.add(add);
            }
            // Clamped to [-1024, 1024] by comparisons (a NaN compares false and stays), then NaN, the one value unequal to itself, to 0;
            // a vector whose lanes all lie in the range (the usual case) is left as it is, which is what the clamps would make of it,
            // for one compare instead of three compare-and-blends.
            FloatVector c = x;
            if (!x.abs().compare(VectorOperators.LE, RANGE).allTrue()) {
                c = x.blend(-1024f, x.compare(VectorOperators.LT, -1024f));
                c = c.blend(1024f, c.compare(VectorOperators.GT, 1024f));
                c = c.blend(0f, c.compare(VectorOperators.NE, c));
            }
            FloatVector s = c.add(MAGIC);
            IntVector k = s.reinterpretAsInts().sub(MAGIC_BITS - zp); // the nearest integer plus the zero point
            VectorMask<Integer> above = s.sub(MAGIC).compare(VectorOperators.GT, c).cast(I);
            IntVector code = k.blend(k.sub(1), above).max(lo).min(QuantParams.QMAX);
            ((ByteVector) code.convertShape(VectorOperators.I2B, B, 0)).intoArray(q, qOff + i);
        }
        return i;
    }

    /**
     * {@code f[o + c] = (float) acc[a + c] * m} for the whole vectors of the n accumulators, their
     * min and max into {@code range[0]}, {@code range[1]} (which hold the range so far); returns how many it did.
     */
    static int scale(int[] acc, int a, int n, float m, float[] f, int o, int[] range) {
        IntVector mn = IntVector.broadcast(I, range[0]), mx = IntVector.broadcast(I, range[1]);
        int c = 0;
        for (; c + LANES <= n; c += LANES) {
            IntVector v = IntVector.fromArray(I, acc, a + c);
            mn = mn.min(v);
            mx = mx.max(v);
            ((FloatVector) v.convert(VectorOperators.I2F, 0)).mul(m).intoArray(f, o + c);
        }
        range[0] = mn.reduceLanes(VectorOperators.MIN);
        range[1] = mx.reduceLanes(VectorOperators.MAX);
        return c;
    }

    /** The real values {@code float((code & 0xFF) - zp) * scale} of the bytes at {@code q[at]}, exact as the scalar expression. */
    private static FloatVector real(byte[] q, int at, int zp, float scale) {
        IntVector c = ((IntVector) ByteVector.fromArray(B, q, at).convertShape(VectorOperators.B2I, I, 0)).and(0xFF).sub(zp);
        return ((FloatVector) c.convert(VectorOperators.I2F, 0)).mul(scale);
    }

    /**
     * {@link WeightLoops#addCodes} over the whole vectors of the n elements; returns their max |v|
     * (NaN if one is NaN). The max is taken on the bits of |v| as ints: for floats without a sign
     * bit the integer order is the float order, and every NaN lies above infinity.
     */
    static float addCodes(byte[] codes, int zp, float scale, float[] v, int from, int n) {
        IntVector m = IntVector.zero(I);
        for (int i = 0; i + LANES <= n; i += LANES) {
            FloatVector x = real(codes, from + i, zp, scale).add(FloatVector.fromArray(F, v, from + i));
            x.intoArray(v, from + i);
            m = m.max(x.reinterpretAsInts().and(0x7FFFFFFF));
        }
        return Float.intBitsToFloat(m.reduceLanes(VectorOperators.MAX));
    }

    /** {@link WeightLoops#addCodesOfRow} over the whole vectors of the n elements, its max as {@link #addCodes} takes it. */
    static float addCodesOfRow(byte[] codes, int zp, float scale, float a, float[] x, float[] v, int from, int n) {
        IntVector m = IntVector.zero(I);
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i + LANES <= n; i += LANES) {
            FloatVector x2 = real(codes, from + i, zp, scale).add(zero.add(FloatVector.fromArray(F, x, i).mul(a)));
            x2.intoArray(v, from + i);
            m = m.max(x2.reinterpretAsInts().and(0x7FFFFFFF));
        }
        return Float.intBitsToFloat(m.reduceLanes(VectorOperators.MAX));
    }

    /**
     * {@link WeightLoops#subtractFromCodes} over the whole vectors of the n elements, their min and
     * max by comparisons into {@code lo[o]}, {@code hi[o]} (a NaN compares false, so it is skipped;
     * the lanes hold no NaN, so their reduction is the comparisons' result up to the sign of a zero).
     */
    static void subtractFromCodes(byte[] codes, int zp, float scale, float[] v, int from, int n, float[] lo, float[] hi, int o) {
        FloatVector mn = FloatVector.broadcast(F, Float.POSITIVE_INFINITY), mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int i = 0; i + LANES <= n; i += LANES) {
            FloatVector x = real(codes, from + i, zp, scale).sub(FloatVector.fromArray(F, v, from + i));
            x.intoArray(v, from + i);
            mn = mn.blend(x, x.compare(VectorOperators.LT, mn));
            mx = mx.blend(x, x.compare(VectorOperators.GT, mx));
        }
        lo[o] = mn.reduceLanes(VectorOperators.MIN);
        hi[o] = mx.reduceLanes(VectorOperators.MAX);
    }

    /**
     * Segments of a {@link Xorshift32} take made side by side in one vector: lane j steps the chain
     * of segment c + j (I is the one int species of these loops: a second one in the same JVM would
     * make the JIT box vectors). A lane's draws belong SEGMENT apart from the next lane's:
     * {@link #TILE} steps are stored as the rows of a square tile, whose columns (one lane's
     * consecutive draws) are gathered and stored whole, about a third faster than scattering every
     * step's lanes.
     */
    static final int SEGMENTS_PER_VECTOR = I.length();
    /** Draws of a tile {@link #segments} transposes: a vector's lanes times as many steps. */
    private static final int TILE = I.length() * I.length();
    /** The tile's column j starts at j and steps a row. */
    private static final int[] COLUMN = new int[I.length()];

    static {
        for (int j = 0; j < COLUMN.length; j++) COLUMN[j] = j * I.length();
    }

    /** Per thread, the tile of {@link #segments} (which runs no part inside it, so one per thread will do). */
    private static final ThreadLocal<int[]> TILES = ThreadLocal.withInitial(() -> new int[TILE]);

    static int[] tile() { return TILES.get(); }

    /**
     * The draws of the segments after the states {@code starts[c, c + used)}, used at most
     * SEGMENTS_PER_VECTOR and {@code starts} holding a whole vector from c, into {@code d[at, at + used * SEGMENT)},
     * segment by segment; {@code tile}: TILE ints of working memory.
     */
    static void segments(int[] starts, int c, int used, int[] d, int at, int[] tile) {
        int lanes = I.length();
        IntVector x = IntVector.fromArray(I, starts, c);
        for (int k0 = 0; k0 < Xorshift32.SEGMENT; k0 += lanes) {
            for (int k = 0; k < lanes; k++) {
                x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHL, 13));
                x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 17));
                x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHL, 5));
                x.intoArray(tile, k * lanes);
            }
            for (int j = 0; j < used; j++) IntVector.fromArray(I, tile, j, COLUMN, 0).intoArray(d, at + j * Xorshift32.SEGMENT + k0);
        }
    }
}
