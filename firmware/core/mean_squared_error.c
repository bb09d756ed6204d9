#include "mean_squared_error.h"

static float target(const fqt_tensor *x, int32_t i) {
    return x->q != 0 ? fqt_quant_params_dequantize(x->params, x->q[i]) : x->f[i];
}

float fqt_mse_loss_and_error(const float *y, const fqt_tensor *input, int32_t n, float *error) {
    float two_over_n = 2.0f / (float) n, sum = 0.0f;
    int32_t i;
    for (i = 0; i < n; i++) {
        float d = y[i] - target(input, i);
        sum += d * d;
        error[i] = d * two_over_n;
    }
    return sum / (float) n;
}

float fqt_mse_loss(const float *y, const fqt_tensor *input, int32_t n) {
    float sum = 0.0f;
    int32_t i;
    for (i = 0; i < n; i++) {
        float d = y[i] - target(input, i);
        sum += d * d;
    }
    return sum / (float) n;
}
