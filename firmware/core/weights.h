/*
 * Mirrors fqt.nn.Weights: structures x structure_size weights (a structure is a conv filter or a
 * fully connected row) as float32 or uint8 with one scale and zero point, a float32 bias per
 * structure, the gradients of a batch as fqt_gradients says, and the optimizer state. Buffers come
 * from the arena (or stay in the model blob when the layer does not update them).
 */
#ifndef FQT_WEIGHTS_H
#define FQT_WEIGHTS_H

#include <stdint.h>
#include "quant_params.h"
#include "rounding.h"

struct fqt_optimizer;

/* Mirrors fqt.nn.Gradients (same ordinals, the blob's byte): where gradients wait for their update. */
typedef enum {
    FQT_GRADIENTS_AUTO = 0,     /* the setting that means fqt_gradients_of (train.c) */
    FQT_GRADIENTS_FLOAT32 = 1,  /* float32 sums of the batch */
    FQT_GRADIENTS_INT8 = 2,     /* int8 sums (zero point 128) with a float32 scale per structure */
    FQT_GRADIENTS_IN_PLACE = 3  /* batch 1: each structure updated in its layer's backward step */
} fqt_gradients;

/* Zero point and largest step count of the INT8 sums (Weights.GRAD_ZERO_POINT, GRAD_STEPS). */
#define FQT_GRAD_ZERO_POINT 128
#define FQT_GRAD_STEPS 127.0f

/* Puts structure o's gradient sum in row[0, structure_size) and its bias's in *row_bias. */
typedef void (*fqt_row_source)(void *user, int32_t o, float *row, float *row_bias);

typedef struct {
    int32_t structures;
    int32_t structure_size;
    float *real;              /* FLOAT32 weights, else NULL */
    uint8_t *q;               /* uint8 codes, else NULL */
    fqt_quant_params *params; /* of q */
    float *bias;
    float *grad;              /* FLOAT32 sums, then update deltas; NULL when only biases train or with other gradients */
    uint8_t *grad_codes;      /* INT8: the weights' sums as codes, NULL when only biases train */
    float *grad_scale;        /* INT8: their scale per structure */
    float *bias_grad;         /* FLOAT32 and INT8: the biases' sums */
    uint8_t *touched;         /* NULL with full updates: every structure takes part in every sample */
    float *opt;               /* optimizer state, laid out by optimizer.c */
    int32_t samples;          /* samples summed in the gradient buffers since the last update */
    uint8_t bias_only;
} fqt_weights;

int32_t fqt_weights_count(const fqt_weights *w);
int fqt_weights_touched(const fqt_weights *w, int32_t o);
void fqt_weights_mark_touched(fqt_weights *w, const int32_t *sel, int32_t n_sel);
/*
 * Ends a batch (Weights.update): FLOAT32, the optimizer turns each touched structure's sum into its
 * delta in place, then the deltas are applied; INT8, the touched structures (listed in `list`, room
 * for every structure) are updated from their dequantized sums through `row`. Nothing happens when
 * no sample was summed.
 */
int fqt_weights_update(fqt_weights *w, const struct fqt_optimizer *opt, fqt_gradients gradients, float *row, int32_t *list,
                       fqt_rounding rounding, fqt_xorshift32 *rng);
/*
 * INT8: adds structure o's gradient (row, row_bias; row is overwritten) to its sums: new scale
 * max |(code - 128) * scale + g| / 127, codes rounded in index order with the training's rounding.
 */
int fqt_weights_accumulate(fqt_weights *w, int32_t o, float *row, float row_bias, fqt_rounding rounding, fqt_xorshift32 *rng);
/*
 * The update of structures list[0, n) (ascending), whose sums over `samples` samples the source
 * puts in row (structure_size floats, then the bias), without a gradient buffer: Weights.updateRows.
 */
int fqt_weights_update_rows(fqt_weights *w, const struct fqt_optimizer *opt, const int32_t *list, int32_t n, int32_t samples,
                            fqt_row_source source, void *user, float *row, fqt_rounding rounding, fqt_xorshift32 *rng);
/*
 * w -= delta for the touched structures (only the biases when bias_only), then clears the buffers.
 * uint8: the new real values set a new range; if scale and zero point are unchanged only touched
 * structures are requantized, otherwise all, in index order (one draw per weight when stochastic).
 */
int fqt_weights_apply_deltas(fqt_weights *w, fqt_rounding rounding, fqt_xorshift32 *rng);

#endif
