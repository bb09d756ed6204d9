package fqt.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RoundingLoops#code} lane by lane with the Vector API, bit for bit. The float-to-int
 * conversion is not compiled to a vector instruction by JDK 17, so the floor is taken with the
 * 1.5 * 2^23 trick instead: for c in [-1024, 1024], {@code c + 1.5 * 2^23} rounds c to the nearest
 * integer k (ties to even: exact float32 addition, ulp 1 there) and its bits are those of
 * 1.5 * 2^23 plus k; floor(c) is k, or k - 1 when k > c. NaN lanes become 0 first, as the
 * scalar conversion makes them.
 */
final class RoundingVectors {
    private RoundingVectors() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Bytes of a vector of F.length() lanes (a quarter of its bits), when that shape exists. */
    private static final VectorSpecies<Byte> B = F.vectorBitSize() >= 256 ? ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(F.vectorBitSize() / 4)) : null;
    private static final float MAGIC = 0x1.8p23f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);

    /** Vectors of 8 or more lanes (256-bit and wider), whose bytes fit a vector shape. */
    static boolean usable() { return B != null; }

    /** {@link RoundingLoops#codes} for the first whole vectors of the n elements; returns how many it did. */
    static int codes(float[] v, int from, int n, float add, int[] d, int dAt, byte[] q, int qOff, int zp, int lo) {
        int lanes = F.length(), i = 0;
        for (; i + lanes <= n; i += lanes) {
            FloatVector x = FloatVector.fromArray(F, v, from + i);
            if (d != null) {
                FloatVector u = (FloatVector) IntVector.fromArray(I, d, dAt + i).lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0);
                x = x.add(u.mul(0x1.0p-24f));
            } else if (add != 0f) {
                x = x.add(add);
            }
            FloatVector c = x.max(-1024f).min(1024f);
            c = c.blend(0f, c.test(VectorOperators.IS_NAN));
            FloatVector s = c.add(MAGIC);
            IntVector k = s.reinterpretAsInts().sub(MAGIC_BITS);
            VectorMask<Integer> above = s.sub(MAGIC).compare(VectorOperators.GT, c).cast(I);
            IntVector code = k.blend(k.sub(1), above).add(zp).max(lo).min(QuantParams.QMAX);
            ((ByteVector) code.convertShape(VectorOperators.I2B, B, 0)).intoArray(q, qOff + i);
        }
        return i;
    }
}
