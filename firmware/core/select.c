#include "select.h"

#include <string.h>

#include "dsp_pairs.h"

static float abs_f32(float v) {
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits &= 0x7FFFFFFFu; /* Java's Math.abs(float): clears the sign bit */
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* Java's (int) of a float: NaN to 0, saturating at the int range. */
static int32_t java_float_to_int(float v) {
    if (v != v) return 0;
    if (v >= 2147483648.0f) return INT32_MAX;
    if (v <= -2147483648.0f) return INT32_MIN;
    return (int32_t) v;
}

void fqt_select_magnitudes_u8(const uint8_t *dy, int32_t zp, int32_t structures, int32_t per, int32_t *mag) {
    int32_t s, i;
    for (s = 0; s < structures; s++) {
        int32_t sum = 0;
        i = s * per;
#if defined(__ARM_FEATURE_DSP)
        {
            /* Four |dy - zp| a turn: USADA8 sums the absolute differences of four byte pairs (exact). */
            uint32_t zp4 = fqt_dsp_bytes(zp), usum = 0;
            for (; i + 4 <= (s + 1) * per; i += 4) usum = __usada8(fqt_dsp_load4(dy + i), zp4, usum);
            sum = (int32_t) usum;
        }
#endif
        for (; i < (s + 1) * per; i++) {
            int32_t d = (int32_t) dy[i] - zp;
            sum += d < 0 ? -d : d;
        }
        mag[s] = sum;
    }
}

void fqt_select_magnitudes_f32(const float *dy, int32_t structures, int32_t per, float *mag) {
    int32_t s, i;
    for (s = 0; s < structures; s++) {
        float sum = 0.0f;
        for (i = s * per; i < (s + 1) * per; i++) sum += abs_f32(dy[i]);
        mag[s] = sum;
    }
}

float fqt_select_mean_u8(const int32_t *mag, int32_t structures, float scale, int32_t size) {
    int32_t total = 0, s;
    for (s = 0; s < structures; s++) total += mag[s];
    return (float) total * scale / (float) size;
}

float fqt_select_mean_f32(const float *mag, int32_t structures, int32_t size) {
    float total = 0.0f;
    int32_t s;
    for (s = 0; s < structures; s++) total += mag[s];
    return total / (float) size;
}

int32_t fqt_select_budget(float lambda_min, float lambda_max, float e, float e_max, int32_t n) {
    float r = e_max > 0.0f ? e / e_max : 0.0f;
    float span = lambda_max - lambda_min;
    float lambda = lambda_min + r * span;
    int32_t k = java_float_to_int(lambda * (float) n);
    if (k < 1) k = 1;
    if (k > n) k = n;
    return k;
}

/* In-place heapsort, ascending: O(n log n), no recursion; every key is distinct, so any correct sort gives Java's order. */
static void sift_down_i64(int64_t *a, int32_t root, int32_t n) {
    for (;;) {
        int32_t child = 2 * root + 1;
        int64_t t;
        if (child >= n) return;
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[root] >= a[child]) return;
        t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void sort_i64(int64_t *a, int32_t n) {
    int32_t i;
    for (i = n / 2 - 1; i >= 0; i--) sift_down_i64(a, i, n);
    for (i = n - 1; i > 0; i--) {
        int64_t t = a[0];
        a[0] = a[i];
        a[i] = t;
        sift_down_i64(a, 0, i);
    }
}

int32_t fqt_select_top_k(const int32_t *key, int32_t n, int32_t k, int64_t *scratch, int32_t *sel) {
    int32_t s, j;
    if (k >= n) {
        for (s = 0; s < n; s++) sel[s] = s;
        return n;
    }
    for (s = 0; s < n; s++) scratch[s] = (int64_t) ((uint64_t) (int64_t) key[s] << 32) | (int64_t) (n - 1 - s); /* Java: (long) key << 32 */
    sort_i64(scratch, n);
    for (j = 0; j < k; j++) sel[j] = n - 1 - (int32_t) (scratch[n - 1 - j] & 0xFFFFFFFF);
    /* Java: flag the chosen indices in the (now free) scratch and emit them ascending. */
    for (s = 0; s < n; s++) scratch[s] = 0;
    for (j = 0; j < k; j++) scratch[sel[j]] = 1;
    for (s = 0, j = 0; s < n; s++) if (scratch[s] != 0) sel[j++] = s;
    return k;
}

void fqt_selector_begin_sample(fqt_selector *s, float loss) {
    if (s->error_by != FQT_ERROR_BY_SAMPLE_LOSS) return;
    s->state[0] = loss;
    if (loss > s->state[1]) s->state[1] = loss;
}

int32_t fqt_selector_select(fqt_selector *s, int32_t slot, const fqt_tensor *dy, int32_t structures, int32_t *sel) {
    int32_t per = dy->size / structures, k, i;
    float mean;
    if (dy->q != 0) {
        fqt_select_magnitudes_u8(dy->q, dy->params->zero_point, structures, per, s->key);
        mean = s->error_by == FQT_ERROR_BY_LAYER_MEAN_ERROR ? fqt_select_mean_u8(s->key, structures, dy->params->scale, dy->size) : 0.0f;
    } else {
        fqt_select_magnitudes_f32(dy->f, structures, per, s->mag);
        for (i = 0; i < structures; i++) memcpy(&s->key[i], &s->mag[i], sizeof(int32_t)); /* floatToRawIntBits */
        mean = s->error_by == FQT_ERROR_BY_LAYER_MEAN_ERROR ? fqt_select_mean_f32(s->mag, structures, dy->size) : 0.0f;
    }
    if (s->error_by == FQT_ERROR_BY_SAMPLE_LOSS) {
        k = fqt_select_budget(s->lambda_min, s->lambda_max, s->state[0], s->state[1], structures);
    } else {
        if (mean > s->state[slot]) s->state[slot] = mean;
        k = fqt_select_budget(s->lambda_min, s->lambda_max, mean, s->state[slot], structures);
    }
    return fqt_select_top_k(s->key, structures, k, s->scratch, sel);
}
