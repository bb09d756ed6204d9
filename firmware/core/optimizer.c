#include "optimizer.h"

#include <math.h>

/* Per-weight state exists only where the weights train (bias-only layers keep none). */
static int32_t weight_state(const fqt_weights *w) {
    return w->bias_only ? 0 : fqt_weights_count(w);
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

/*
 * Each rule: structure o's weight sums g[0, structure_size) (NULL: a bias-only layer's zeros) become
 * their deltas, the bias delta is returned; commit 0 leaves the state as it was (Java's UpdateRule.delta).
 */

/* delta = g * (lr / samples): the batch mean gradient times the learning rate. */
static float sgd(const fqt_optimizer *opt, fqt_weights *w, float *g, float gb, int32_t samples) {
    float k = opt->lr / (float) samples;
    int32_t i;
    if (g != 0) for (i = 0; i < w->structure_size; i++) g[i] = g[i] * k;
    return gb * k;
}

/*
 * g' = (g - mean) / std per structure, the bias one more element of it; mean and std smoothed with
 * rate alpha_norm (the first update sets them). A bias-only layer's weight gradients are zeros, as in Java.
 */
static float standardized_sgd(const fqt_optimizer *opt, fqt_weights *w, int32_t o, float *g, float gb, int commit) {
    float *mean_s = w->opt, *std_s = w->opt + w->structures;
    int32_t size = w->structure_size, i;
    float n = (float) (size + 1);
    float sum = gb, mean, db, sq, std, m, sd, k;
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
    if (std_s[o] < 0.0f) { /* first update of this structure */
        m = mean;
        sd = std;
    } else {
        m = mean_s[o] + opt->alpha_norm * (mean - mean_s[o]);
        sd = std_s[o] + opt->alpha_norm * (std - std_s[o]);
    }
    if (commit) {
        mean_s[o] = m;
        std_s[o] = sd;
    }
    k = opt->lr / (sd + FQT_OPTIMIZER_EPS);
    if (g != 0) {
#pragma GCC unroll 4
        for (i = 0; i < size; i++) g[i] = (g[i] - m) * k;
    }
    return (gb - m) * k;
}

/* v = mu * v + g / samples; delta = lr * v. */
static float momentum(const fqt_optimizer *opt, fqt_weights *w, int32_t o, float *g, float gb, int32_t samples, int commit) {
    int32_t count = weight_state(w), size = w->structure_size, j;
    float *v = w->opt + o * size, *vb = w->opt + count;
    float n = (float) samples, b;
    if (g != 0 && count != 0) {
        for (j = 0; j < size; j++) {
            float x = opt->mu * v[j] + g[j] / n;
            if (commit) v[j] = x;
            g[j] = opt->lr * x;
        }
    }
    b = opt->mu * vb[o] + gb / n;
    if (commit) vb[o] = b;
    return opt->lr * b;
}

static float adam_step(const fqt_optimizer *opt, float *m, float *v, int32_t i, float g, float c1, float c2, int commit) {
    float mi = opt->beta1 * m[i] + (1.0f - opt->beta1) * g;
    float vi = opt->beta2 * v[i] + (1.0f - opt->beta2) * (g * g);
    if (commit) {
        m[i] = mi;
        v[i] = vi;
    }
    return opt->lr * (mi / c1) / (sqrtf(vi / c2) + FQT_OPTIMIZER_EPS);
}

/* Adam with bias correction; a structure's t counts its own updates (partial updates skip structures). */
static float adam(const fqt_optimizer *opt, fqt_weights *w, int32_t o, float *g, float gb, int32_t samples, int commit) {
    int32_t count = weight_state(w), s = w->structures, size = w->structure_size, j;
    float *m = w->opt, *v = m + count, *mb = v + count, *vb = mb + s, *pow1 = vb + s, *pow2 = pow1 + s;
    float p1 = pow1[o] * opt->beta1, p2 = pow2[o] * opt->beta2;
    float c1 = 1.0f - p1, c2 = 1.0f - p2, n = (float) samples;
    if (commit) {
        pow1[o] = p1;
        pow2[o] = p2;
    }
    if (g != 0 && count != 0) {
        for (j = 0; j < size; j++) g[j] = adam_step(opt, m, v, o * size + j, g[j] / n, c1, c2, commit);
    }
    return adam_step(opt, mb, vb, o, gb / n, c1, c2, commit);
}

float fqt_optimizer_delta(const fqt_optimizer *opt, fqt_weights *w, int32_t o, float *g, float gb, int32_t samples, int commit) {
    switch (opt->kind) {
    case FQT_OPTIMIZER_STANDARDIZED_SGD: return standardized_sgd(opt, w, o, g, gb, commit);
    case FQT_OPTIMIZER_MOMENTUM: return momentum(opt, w, o, g, gb, samples, commit);
    case FQT_OPTIMIZER_ADAM: return adam(opt, w, o, g, gb, samples, commit);
    default: return sgd(opt, w, g, gb, samples);
    }
}
