package fqt.kernels;

/** ReLU in float32; the backward pass passes the error where the input was positive. */
public final class ReluF32 {
    private ReluF32() {}

    public static void forward(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = x[i] > 0f ? x[i] : 0f;
    }

    public static void backward(float[] x, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) dx[i] = x[i] > 0f ? dy[i] : 0f;
    }
}
