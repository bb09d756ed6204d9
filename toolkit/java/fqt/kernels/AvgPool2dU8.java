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
     * The input errors of a pooling pass. Windows that do not overlap ({@link PoolGeometry#disjoint()}):
     * each input of a window gets its output's error code unchanged, and the caller divides the
     * error's scale by the window's size ({@code scale / n}, float32): exact, where dividing the codes
     * would keep only {@code round((dy - zp) / n)} (0 to 3 codes for a 7x7 global pool). Overlapping
     * windows: each input gets {@code round((dy - zp) / n)} added to its code, in the error's scale.
     * Inputs in no window keep the zero point (real 0).
     */
    public static void backward(byte[] dy, int eZp, byte[] dx, PoolGeometry g) {
        java.util.Arrays.fill(dx, 0, g.inSize(), (byte) eZp);
        int n = g.window();
        boolean disjoint = g.disjoint();
        int o = 0;
        for (int c = 0; c < g.channels(); c++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++) {
                    int origin = g.origin(c, oy, ox);
                    int code = dy[o++] & 0xFF, share = Math.floorDiv(2 * (code - eZp) + n, 2 * n);
                    for (int ky = 0; ky < g.kH(); ky++)
                        for (int kx = 0; kx < g.kW(); kx++) {
                            int i = origin + ky * g.inW() + kx;
                            dx[i] = (byte) (disjoint ? code : QuantParams.clamp((dx[i] & 0xFF) + share));
                        }
                }
    }
}
