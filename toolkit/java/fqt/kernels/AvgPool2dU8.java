package fqt.kernels;

import fqt.quant.QuantParams;

/**
 * Average pooling on uint8: the output keeps the input's parameters, so the mean of the codes is
 * the code of the mean; integer division rounds to nearest, ties up: {@code floor((2*sum + n) / 2n)}.
 */
public final class AvgPool2dU8 {
    private AvgPool2dU8() {}

    public static void forward(byte[] x, byte[] y, PoolGeometry g) {
        int n = g.window();
        int o = 0;
        for (int c = 0; c < g.channels(); c++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++) {
                    int origin = g.origin(c, oy, ox);
                    int sum = 0;
                    for (int ky = 0; ky < g.kH(); ky++)
                        for (int kx = 0; kx < g.kW(); kx++) sum += x[origin + ky * g.inW() + kx] & 0xFF;
                    y[o++] = (byte) ((2 * sum + n) / (2 * n));
                }
    }

    /**
     * Windows that do not overlap ({@link PoolGeometry#disjoint()}): each input of a window gets its
     * output's error code unchanged, and the error's scale is divided by the window's size instead
     * ({@code scale / n}, float32, by the caller): exact, where dividing the codes would keep only
     * {@code round((dy - zp) / n)} (0 to 3 codes for a 7x7 global pool). Inputs in no window get the zero point.
     */
    public static void backwardDisjoint(byte[] dy, int eZp, byte[] dx, PoolGeometry g) {
        java.util.Arrays.fill(dx, 0, g.inSize(), (byte) eZp);
        int o = 0;
        for (int c = 0; c < g.channels(); c++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++) {
                    int origin = g.origin(c, oy, ox);
                    byte code = dy[o++];
                    for (int ky = 0; ky < g.kH(); ky++)
                        for (int kx = 0; kx < g.kW(); kx++) dx[origin + ky * g.inW() + kx] = code;
                }
    }

    /** Each input of a window gets round((dy - zp) / n) added to its error code (errors start at the zero point). */
    public static void backward(byte[] dy, int eZp, byte[] dx, PoolGeometry g) {
        java.util.Arrays.fill(dx, 0, g.inSize(), (byte) eZp);
        int n = g.window();
        int o = 0;
        for (int c = 0; c < g.channels(); c++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++) {
                    int origin = g.origin(c, oy, ox);
                    int share = Math.floorDiv(2 * ((dy[o++] & 0xFF) - eZp) + n, 2 * n);
                    for (int ky = 0; ky < g.kH(); ky++)
                        for (int kx = 0; kx < g.kW(); kx++) {
                            int i = origin + ky * g.inW() + kx;
                            dx[i] = (byte) QuantParams.clamp((dx[i] & 0xFF) + share);
                        }
                }
    }
}
