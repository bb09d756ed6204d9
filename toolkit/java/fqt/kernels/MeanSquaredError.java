package fqt.kernels;

/**
 * The reconstruction loss: {@code loss = (1/n) sum (y_i - t_i)^2} and its error
 * {@code e_i = (y_i - t_i) * (2/n)}, in float32, summed in index order ({@code 2/n} and {@code 1/n}
 * computed once). Mirrored by {@code firmware/core/mean_squared_error.c}.
 */
public final class MeanSquaredError {
    private MeanSquaredError() {}

    public static float lossAndError(float[] y, float[] target, int n, float[] error) {
        float twoOverN = 2f / n, sum = 0f;
        for (int i = 0; i < n; i++) {
            float d = y[i] - target[i];
            sum += d * d;
            error[i] = d * twoOverN;
        }
        return sum / n;
    }

    /** The loss alone (evaluation). */
    public static float loss(float[] y, float[] target, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float d = y[i] - target[i];
            sum += d * d;
        }
        return sum / n;
    }
}
