package fqt.kernels;

/**
 * ReLU on uint8 features: real zero is the zero point, so {@code y = max(x, zp)} with the input's
 * parameters. The error passes where {@code x > zp}; elsewhere it is the error's zero point (real 0).
 */
public final class ReluU8 {
    private ReluU8() {}

    public static void forward(byte[] x, int xZp, byte[] y, int n) {
        int i = Rows.VECTORS ? n - n % RowLanes.BYTE_LANES : 0;
        if (i > 0) RowLanes.relu(x, xZp, y, i);
        for (; i < n; i++) y[i] = (x[i] & 0xFF) > xZp ? x[i] : (byte) xZp;
    }

    public static void backward(byte[] x, int xZp, byte[] dy, int eZp, byte[] dx, int n) {
        int i = Rows.VECTORS ? n - n % RowLanes.BYTE_LANES : 0;
        if (i > 0) RowLanes.reluErrors(x, xZp, dy, eZp, dx, i);
        for (; i < n; i++) dx[i] = (x[i] & 0xFF) > xZp ? dy[i] : (byte) eZp;
    }

    /** MIXED: uint8 features, float32 errors. */
    public static void backwardF32(byte[] x, int xZp, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) dx[i] = (x[i] & 0xFF) > xZp ? dy[i] : 0f;
    }
}
