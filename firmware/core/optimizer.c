#include "optimizer.h"

#include <math.h>

/* Per-weight state exists only where the weights train (bias-only layers keep none). */
static int32_t weight_state(const fqt_weights *w) {
    return w->grad != 0 ? fqt_weights_count(w) : 0;
}

int32_t fqt_optimizer_state_bytes_per_weight(const fqt_optimizer *opt) {
    switch (opt->kind) {
    case FQT_OPTIMIZER_MOMENTUM: return 4;
    case FQT_OPTIMIZER_ADAM: return 8;
    default: return 0;
    }
}

int32_t fqt_optimizer_state_bytes_per_structure(const fqt_optimizer *opt) {
    switch (opt->kind) {
    case FQT_OPTIMIZER_STANDARDIZED_SGD: return 8;
    case FQT_OPTIMIZER_MOMENTUM: return 4;
    case FQT_OPTIMIZER_ADAM: return 16;
    default: return 0;
    }
}

void fqt_optimizer_init_state(const fqt_optimizer *opt, fqt_weights *w) {
    int32_t s = w->structures, count = weight_state(w), i;
    switch (opt->kind) {
    case FQT_OPTIMIZER_STANDARDIZED_SGD:
        for (i = 0; i < s; i++) w->opt[i] = 0.0f;
        for (i = s; i < 2 * s; i++) w->opt[i] = -1.0f; /* a real std is >= 0 (or NaN): -1 marks "not seen" */
        break;
    case FQT_OPTIMIZER_MOMENTUM:
        for (i = 0; i < count + s; i++) w->opt[i] = 0.0f;
        break;
    case FQT_OPTIMIZER_ADAM:
        for (i = 0; i < 2 * count + 2 * s; i++) w->opt[i] = 0.0f;
        for (i = 2 * count + 2 * s; i < 2 * count + 4 * s; i++) w->opt[i] = 1.0f; /* beta^0 */
        break;
    default:
        break;
    }
}

/* delta = g * (lr / samples): the batch mean gradient times the learning rate. */
static void sgd(const fqt_optimizer *opt, fqt_weights *w, int32_t o) {
    float k = opt->lr / (float) w->samples;
    int32_t i;
    if (w->grad != 0) for (i = o * w->structure_size; i < (o + 1) * w->structure_size; i++) w->grad[i] = w->grad[i] * k;
    w->bias_grad[o] = w->bias_grad[o] * k;
}

/*
 * g' = (g - mean) / std per structure, the bias one more element of it; mean and std smoothed with
 * rate alpha_norm (the first batch sets them). A bias-only layer's weight gradients are zeros, as in Java.
 */
static void standardized_sgd(const fqt_optimizer *opt, fqt_weights *w, int32_t o) {
    float *mean_s = w->opt, *std_s = w->opt + w->structures;
    float gb = w->bias_grad[o];
    int32_t size = w->structure_size, i;
    float *g = w->grad != 0 ? w->grad + o * size : 0;
    float n = (float) (size + 1);
    float sum = gb, mean, db, sq, std, k;
    /* The loops test for a bias-only layer once, not per weight; its zeros are summed as Java sums them (+0.0f turns -0.0f into +0.0f). */
    if (g != 0) {
#pragma GCC unroll 4
        for (i = 0; i < size; i++) sum += g[i];
    } else {
        for (i = 0; i < size; i++) sum += 0.0f;
    }
    mean = sum / n;
    db = gb - mean;
    sq = db * db;
    for (i = 0; i < size; i++) {
        float d = (g != 0 ? g[i] : 0.0f) - mean;
        sq += d * d;
    }
    std = sqrtf(sq / n); /* correctly rounded, as Java's (float) Math.sqrt */
    if (std_s[o] < 0.0f) { /* first batch of this structure */
        mean_s[o] = mean;
        std_s[o] = std;
    } else {
        mean_s[o] = mean_s[o] + opt->alpha_norm * (mean - mean_s[o]);
        std_s[o] = std_s[o] + opt->alpha_norm * (std - std_s[o]);
    }
    k = opt->lr / (std_s[o] + FQT_OPTIMIZER_EPS);
    if (g != 0) {
        float m = mean_s[o];
#pragma GCC unroll 4
        for (i = 0; i < size; i++) g[i] = (g[i] - m) * k;
    }
    w->bias_grad[o] = (gb - mean_s[o]) * k;
}

/* v = mu * v + g / samples; delta = lr * v. */
static void momentum(const fqt_optimizer *opt, fqt_weights *w, int32_t o) {
    int32_t count = weight_state(w), i;
    float *v = w->opt, *vb = w->opt + count;
    float n = (float) w->samples;
    if (w->grad != 0) {
        for (i = o * w->structure_size; i < (o + 1) * w->structure_size; i++) {
            v[i] = opt->mu * v[i] + w->grad[i] / n;
            w->grad[i] = opt->lr * v[i];
        }
    }
    vb[o] = opt->mu * vb[o] + w->bias_grad[o] / n;
    w->bias_grad[o] = opt->lr * vb[o];
}

static float adam_step(const fqt_optimizer *opt, float *m, float *v, int32_t i, float g, float c1, float c2) {
    m[i] = opt->beta1 * m[i] + (1.0f - opt->beta1) * g;
    v[i] = opt->beta2 * v[i] + (1.0f - opt->beta2) * (g * g);
    return opt->lr * (m[i] / c1) / (sqrtf(v[i] / c2) + FQT_OPTIMIZER_EPS);
}

/* Adam with bias correction; a structure's t counts its own updates (partial updates skip structures). */
static void adam(const fqt_optimizer *opt, fqt_weights *w, int32_t o) {
    int32_t count = weight_state(w), s = w->structures, i;
    float *m = w->opt, *v = m + count, *mb = v + count, *vb = mb + s, *pow1 = vb + s, *pow2 = pow1 + s;
    float c1, c2, n;
    pow1[o] = pow1[o] * opt->beta1;
    pow2[o] = pow2[o] * opt->beta2;
    c1 = 1.0f - pow1[o];
    c2 = 1.0f - pow2[o];
    n = (float) w->samples;
    if (w->grad != 0) {
        for (i = o * w->structure_size; i < (o + 1) * w->structure_size; i++) w->grad[i] = adam_step(opt, m, v, i, w->grad[i] / n, c1, c2);
    }
    w->bias_grad[o] = adam_step(opt, mb, vb, o, w->bias_grad[o] / n, c1, c2);
}

void fqt_optimizer_delta(const fqt_optimizer *opt, fqt_weights *w, int32_t o) {
    switch (opt->kind) {
    case FQT_OPTIMIZER_SGD: sgd(opt, w, o); break;
    case FQT_OPTIMIZER_STANDARDIZED_SGD: standardized_sgd(opt, w, o); break;
    case FQT_OPTIMIZER_MOMENTUM: momentum(opt, w, o); break;
    case FQT_OPTIMIZER_ADAM: adam(opt, w, o); break;
    }
}
