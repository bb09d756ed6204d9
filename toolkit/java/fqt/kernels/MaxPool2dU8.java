package fqt.kernels;

import fqt.quant.QuantParams;

/**
 * Max pooling on uint8 features: the output keeps the input's quantization parameters (max commutes
 * with a monotonic affine map), so no requantization. Errors keep the output error's parameters.
 */
public final class MaxPool2dU8 {
    private MaxPool2dU8() {}

    public static void forward(byte[] x, byte[] y, PoolGeometry g) {
        forwardChannels(x, y, g, 0, g.channels());
    }

    /** {@link #forward} of the channels [c0, c1): channels are independent, so parts of them may run side by side. */
    public static void forwardChannels(byte[] x, byte[] y, PoolGeometry g, int c0, int c1) {
        int o = c0 * g.outH() * g.outW();
        if (g.kH() == 2 && g.kW() == 2 && g.stride() == 2) { // the max's value alone: no need to know where it is
            int inW = g.inW();
            for (int c = c0; c < c1; c++)
                for (int oy = 0; oy < g.outH(); oy++) {
                    int row = g.origin(c, oy, 0);
                    for (int ox = 0; ox < g.outW(); ox++) {
                        int i = row + 2 * ox;
                        int m = Math.max(Math.max(x[i] & 0xFF, x[i + 1] & 0xFF), Math.max(x[i + inW] & 0xFF, x[i + inW + 1] & 0xFF));
                        y[o++] = (byte) m;
                    }
                }
            return;
        }
        for (int c = c0; c < c1; c++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++) y[o++] = x[argmax(x, g, c, oy, ox)];
    }

    /**
     * uint8 errors: {@code dx} starts at the zero point; each output error adds (dy - zp) at its
     * argmax, clamped. Disjoint windows: an input gets at most one error, so the clamped sum is that
     * error's code, stored as it is.
     */
    public static void backward(byte[] x, byte[] dy, int eZp, byte[] dx, PoolGeometry g) {
        backwardChannels(x, dy, eZp, dx, g, 0, g.channels());
    }

    /** {@link #backward} of the channels [c0, c1), their inputs' errors only. */
    public static void backwardChannels(byte[] x, byte[] dy, int eZp, byte[] dx, PoolGeometry g, int c0, int c1) {
        int plane = g.inH() * g.inW();
        java.util.Arrays.fill(dx, c0 * plane, c1 * plane, (byte) eZp);
        int o = c0 * g.outH() * g.outW();
        if (g.disjoint()) {
            for (int c = c0; c < c1; c++)
                for (int oy = 0; oy < g.outH(); oy++)
                    for (int ox = 0; ox < g.outW(); ox++) dx[argmax(x, g, c, oy, ox)] = dy[o++];
            return;
        }
        for (int c = c0; c < c1; c++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++) {
                    int i = argmax(x, g, c, oy, ox);
                    dx[i] = (byte) QuantParams.clamp((dx[i] & 0xFF) + (dy[o++] & 0xFF) - eZp);
                }
    }

    /** MIXED: uint8 features pick the argmax, float32 errors are routed. */
    public static void backwardF32(byte[] x, float[] dy, float[] dx, PoolGeometry g) {
        java.util.Arrays.fill(dx, 0, g.inSize(), 0f);
        int o = 0;
        for (int c = 0; c < g.channels(); c++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++) dx[argmax(x, g, c, oy, ox)] += dy[o++];
    }

    static int argmax(byte[] x, PoolGeometry g, int c, int oy, int ox) {
        int origin = g.origin(c, oy, ox);
        if (g.kH() == 2 && g.kW() == 2) {
            // The first maximum in scan order, as the loop below finds it, without branches (which
            // mispredict on data): the winner of each row (b only if b > a: (a - b) >>> 31, codes
            // being 0..255), then the second row only if its best is larger.
            int w = g.inW();
            int a = x[origin] & 0xFF, b = x[origin + 1] & 0xFF, d = x[origin + w] & 0xFF, e = x[origin + w + 1] & 0xFF;
            int top = (a - b) >>> 31, bottom = (d - e) >>> 31;
            int second = (Math.max(a, b) - Math.max(d, e)) >>> 31;
            return origin + top + second * (w + bottom - top);
        }
        int best = origin, bestV = x[origin] & 0xFF;
        for (int ky = 0; ky < g.kH(); ky++)
            for (int kx = 0; kx < g.kW(); kx++) {
                int i = origin + ky * g.inW() + kx;
                if ((x[i] & 0xFF) > bestV) {
                    best = i;
                    bestV = x[i] & 0xFF;
                }
            }
        return best;
    }
}
