package fqt.kernels;

/** Max pooling in float32; the backward pass recomputes the argmax (first maximum wins) instead of storing it. */
public final class MaxPool2dF32 {
    private MaxPool2dF32() {}

    public static void forward(float[] x, float[] y, PoolGeometry g) {
        int o = 0;
        for (int c = 0; c < g.channels(); c++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++) y[o++] = x[argmax(x, g, c, oy, ox)];
    }

    public static void backward(float[] x, float[] dy, float[] dx, PoolGeometry g) {
        java.util.Arrays.fill(dx, 0, g.inSize(), 0f);
        int o = 0;
        for (int c = 0; c < g.channels(); c++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++) dx[argmax(x, g, c, oy, ox)] += dy[o++];
    }

    static int argmax(float[] x, PoolGeometry g, int c, int oy, int ox) {
        int origin = g.origin(c, oy, ox), best = origin;
        for (int ky = 0; ky < g.kH(); ky++)
            for (int kx = 0; kx < g.kW(); kx++) {
                int i = origin + ky * g.inW() + kx;
                if (x[i] > x[best]) best = i;
            }
        return best;
    }
}
