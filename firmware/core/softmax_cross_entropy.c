#include "softmax_cross_entropy.h"

#include "float_math.h"

float fqt_softmax_cross_entropy_loss_and_error(const float *logits, int32_t n, int32_t label, float *err) {
    float m = logits[fqt_softmax_cross_entropy_argmax(logits, n)];
    float z = logits[label] - m; /* read first, so err may be logits itself (the arena computes in place) */
    float sum = 0.0f;
    int32_t i;
    for (i = 0; i < n; i++) {
        err[i] = fqt_float_math_exp(logits[i] - m);
        sum += err[i];
    }
    for (i = 0; i < n; i++) err[i] = err[i] / sum - (i == label ? 1.0f : 0.0f);
    return fqt_float_math_log(sum) - z;
}

int32_t fqt_softmax_cross_entropy_argmax(const float *logits, int32_t n) {
    int32_t best = 0, i;
    for (i = 1; i < n; i++) if (logits[i] > logits[best]) best = i;
    return best;
}
