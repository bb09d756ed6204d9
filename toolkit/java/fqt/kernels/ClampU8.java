package fqt.kernels;

/**
 * {@code min(max(x, lo), hi)} (ReLU6 is lo 0, hi 6) on uint8 features, with the input's parameters:
 * the bounds become codes {@code qlo = quantize(lo)}, {@code qhi = quantize(hi)} (nearest, clamped
 * to 0..255) and {@code y = min(max(x, qlo), qhi)}. The error passes where {@code qlo < x < qhi};
 * a saturated output passes none (real 0: the error's zero point). Mirrored by {@code firmware/core/clamp_u8.c}.
 */
public final class ClampU8 {
    private ClampU8() {}

    public static void forward(byte[] x, int qlo, int qhi, byte[] y, int n) {
        for (int i = 0; i < n; i++) {
            int q = x[i] & 0xFF;
            y[i] = (byte) (q < qlo ? qlo : Math.min(q, qhi));
        }
    }

    /** The error: dy where {@code qlo < x < qhi}, else eZp (qlo below 0 or qhi above 255 bound nothing; dx may be dy). */
    public static void backward(byte[] x, int qlo, int qhi, byte[] dy, int eZp, byte[] dx, int n) {
        int i = Rows.VECTORS ? n - n % RowLanes.BYTE_LANES : 0;
        if (i > 0) RowLanes.clampErrors(x, qlo, qhi, dy, eZp, dx, i);
        for (; i < n; i++) {
            int q = x[i] & 0xFF;
            dx[i] = q > qlo && q < qhi ? dy[i] : (byte) eZp;
        }
    }

    /** MIXED: uint8 features, float32 errors. */
    public static void backwardF32(byte[] x, int qlo, int qhi, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) {
            int q = x[i] & 0xFF;
            dx[i] = q > qlo && q < qhi ? dy[i] : 0f;
        }
    }

    /** FLOAT32: the same rule on real values. */
    public static void forwardF32(float[] x, float lo, float hi, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = x[i] < lo ? lo : Math.min(x[i], hi);
    }

    public static void backwardF32Real(float[] x, float lo, float hi, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) dx[i] = x[i] > lo && x[i] < hi ? dy[i] : 0f;
    }
}
