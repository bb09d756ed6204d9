/*
 * Mirrors fqt.nn.Weights: structures x structure_size weights (a structure is a conv filter or a
 * fully connected row) as float32 or uint8 with one scale and zero point, a float32 bias per
 * structure, float32 gradient sums of a batch and the optimizer state. Buffers come from the arena
 * (or stay in the model blob when the layer does not update them).
 */
#ifndef FQT_WEIGHTS_H
#define FQT_WEIGHTS_H

#include <stdint.h>
#include "quant_params.h"
#include "rounding.h"

struct fqt_optimizer;

typedef struct {
    int32_t structures;
    int32_t structure_size;
    float *real;              /* FLOAT32 weights, else NULL */
    uint8_t *q;               /* uint8 codes, else NULL */
    fqt_quant_params *params; /* of q */
    float *bias;
    float *grad;              /* gradient, then update delta; NULL when only biases train */
    float *bias_grad;
    uint8_t *touched;         /* NULL with full updates: every structure takes part in every sample */
    float *opt;               /* optimizer state, laid out by optimizer.c */
    int32_t samples;          /* samples summed in the gradient buffers since the last update */
    uint8_t bias_only;
} fqt_weights;

int32_t fqt_weights_count(const fqt_weights *w);
int fqt_weights_touched(const fqt_weights *w, int32_t o);
void fqt_weights_mark_touched(fqt_weights *w, const int32_t *sel, int32_t n_sel);
/*
 * Ends a batch: the optimizer turns each touched structure's gradient into a delta, then the
 * deltas are applied. Nothing happens when no sample was accumulated.
 */
int fqt_weights_update(fqt_weights *w, const struct fqt_optimizer *opt, fqt_rounding rounding, fqt_xorshift32 *rng);
/*
 * w -= delta for the touched structures (only the biases when bias_only), then clears the buffers.
 * uint8: the new real values set a new range; if scale and zero point are unchanged only touched
 * structures are requantized, otherwise all, in index order (one draw per weight when stochastic).
 */
int fqt_weights_apply_deltas(fqt_weights *w, fqt_rounding rounding, fqt_xorshift32 *rng);

#endif
