package fqt.kernels;

/** Average pooling in float32 (sum in window order, then divide); also the MIXED backward, which needs no features. */
public final class AvgPool2dF32 {
    private AvgPool2dF32() {}

    public static void forward(float[] x, float[] y, PoolGeometry g) {
        float n = (float) g.window();
        int o = 0;
        for (int c = 0; c < g.channels(); c++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++) {
                    int origin = g.origin(c, oy, ox);
                    float sum = 0f;
                    for (int ky = 0; ky < g.kH(); ky++)
                        for (int kx = 0; kx < g.kW(); kx++) sum += x[origin + ky * g.inW() + kx];
                    y[o++] = sum / n;
                }
    }

    public static void backward(float[] dy, float[] dx, PoolGeometry g) {
        java.util.Arrays.fill(dx, 0, g.inSize(), 0f);
        float n = (float) g.window();
        int o = 0;
        for (int c = 0; c < g.channels(); c++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++) {
                    int origin = g.origin(c, oy, ox);
                    float share = dy[o++] / n;
                    for (int ky = 0; ky < g.kH(); ky++)
                        for (int kx = 0; kx < g.kW(); kx++) dx[origin + ky * g.inW() + kx] += share;
                }
    }
}
