/*
 * Mirrors fqt.select.Select (the arithmetic of dynamic partial updates: magnitudes, budget,
 * deterministic top-k) and fqt.select.Selector (the per-run state: largest errors seen, scratch).
 * A layer's output error is laid out structure by structure: structure s owns the per consecutive
 * elements from s * per.
 */
#ifndef FQT_SELECT_H
#define FQT_SELECT_H

#include <stdint.h>
#include "tensor.h"

/* Codes of the model blob (Java's PartialUpdates.ErrorBy ordinals). */
typedef enum {
    FQT_ERROR_BY_SAMPLE_LOSS = 0,
    FQT_ERROR_BY_LAYER_MEAN_ERROR = 1
} fqt_error_by;

/* mag[s] = sum of |q - zp| over structure s, exact in int32. */
void fqt_select_magnitudes_u8(const uint8_t *dy, int32_t zp, int32_t structures, int32_t per, int32_t *mag);
/* mag[s] = sum of |e| over structure s, a float32 sum in index order from 0. */
void fqt_select_magnitudes_f32(const float *dy, int32_t structures, int32_t per, float *mag);
/* (float(total) * scale) / float(size), total the int32 sum of the magnitudes. */
float fqt_select_mean_u8(const int32_t *mag, int32_t structures, float scale, int32_t size);
float fqt_select_mean_f32(const float *mag, int32_t structures, int32_t size);
/* k = max(1, floor((lambda_min + r * (lambda_max - lambda_min)) * n)), clipped to n, r = e / e_max (0 when e_max is 0). */
int32_t fqt_select_budget(float lambda_min, float lambda_max, float e, float e_max, int32_t n);
/*
 * The k structures with the largest keys into sel[0..k), ascending; equal keys go to the lower
 * index. Sorts (key << 32) | (n - 1 - s) ascending in scratch (length >= n) and takes the last k.
 */
int32_t fqt_select_top_k(const int32_t *key, int32_t n, int32_t k, int64_t *scratch, int32_t *sel);

/* Selector: one per training run; buffers from the arena. */
typedef struct {
    float lambda_min, lambda_max;
    fqt_error_by error_by;
    int32_t *key;       /* per structure of the largest updated layer */
    float *mag;         /* float errors only */
    int64_t *scratch;
    float *state;       /* SAMPLE_LOSS: {loss, loss_max}; LAYER_MEAN_ERROR: the largest mean per updated layer */
} fqt_selector;

/* Called with the sample's loss before any layer selects. */
void fqt_selector_begin_sample(fqt_selector *s, float loss);
/* slot: the layer's position among the updated layers (its LAYER_MEAN_ERROR maximum). */
int32_t fqt_selector_select(fqt_selector *s, int32_t slot, const fqt_tensor *dy, int32_t structures, int32_t *sel);

#endif
