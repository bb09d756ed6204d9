/*
 * Mirrors fqt.nn.Context: settings and scratch shared by the layers of one model while it runs:
 * precision, rounding and its random stream, how feature and error ranges are tracked, the
 * structure selection.
 */
#ifndef FQT_CONTEXT_H
#define FQT_CONTEXT_H

#include <stdint.h>
#include "range_tracker.h"
#include "requantize.h"
#include "select.h"
#include "tensor.h"
#include "weights.h"

struct fqt_optimizer;

/* Values are Java's ordinals (also the model blob's codes). */
typedef enum {
    FQT_PRECISION_FLOAT32 = 0,
    FQT_PRECISION_MIXED = 1,
    FQT_PRECISION_UINT8 = 2
} fqt_precision;

typedef enum {
    FQT_ERROR_RANGE_FIXED = 0, /* [-1, 1] always */
    FQT_ERROR_RANGE_EMA = 1,   /* moving average of observed ranges (rate alpha_e) */
    FQT_ERROR_RANGE_EXACT = 2  /* this sample's exact range */
} fqt_error_range;

int fqt_precision_quantized_features(fqt_precision p);
int fqt_precision_quantized_errors(fqt_precision p);

/* Called with each updated layer's selection (a host trace; NULL on a device). */
typedef void (*fqt_select_hook)(void *user, int32_t layer, const int32_t *sel, int32_t n_sel);

/*
 * A port's free-running time counter for the phase figures, in its own unit: DWT cycles on a
 * Cortex-M4/M7, instructions on QEMU's virtual boards (SysTick under -icount), microseconds on the M0+.
 */
typedef uint64_t (*fqt_clock)(void);

typedef struct {
    fqt_precision precision;
    fqt_rounding rounding;
    fqt_error_range error_range;
    float alpha_a;           /* moving-average rate of feature ranges (0 freezes them) */
    float alpha_e;           /* of error ranges */
    fqt_xorshift32 *rng;
    int training;            /* 0 during evaluation: ranges are not updated */
    fqt_selector *selector;  /* NULL: every structure (Java's Selection.ALL) */
    fqt_requantizer rq;
    int32_t *acc_scratch;    /* scratch_i32 of the arena */
    int16_t *pad_scratch;    /* scratch_i16 of the arena */
    int32_t *sel;            /* select_idx of the arena */
    fqt_gradients gradients; /* where the layers keep their gradients (fqt_gradients_of) */
    const struct fqt_optimizer *optimizer; /* IN_PLACE: the update inside each backward step */
    float *grad_row;         /* grad_row of the arena: one structure's gradient, then its bias */
    fqt_select_hook on_select;
    void *hook_user;
    /* Multiply-accumulates executed, summed over the layers, counted as Java's Context counts them. */
    int64_t forward_macs;
    int64_t backward_macs;
    fqt_clock clock;         /* NULL: nothing is timed */
    uint64_t select_time;    /* clock units spent ranking structures (partial updates) */
} fqt_context;

/* The clock's reading, 0 without a clock. */
uint64_t fqt_context_now(const fqt_context *c);

/* A requantizer for a forward output or a uint8 error, with this context's rounding. */
fqt_requantizer *fqt_context_requantizer(fqt_context *c, float multiplier, int32_t zero_point, int relu_clamp);
/*
 * int32 input errors (real value acc * acc_scale) to uint8 errors in dx, with parameters from the
 * error range policy; the tracker (NULL when no policy reads it) records the exact range.
 */
int fqt_context_quantize_errors_acc(fqt_context *c, const int32_t *acc, float acc_scale, fqt_range_tracker *tracker, fqt_tensor *dx);
/* Float errors (the loss gradient) to uint8 with the error range policy. */
int fqt_context_quantize_errors_f32(fqt_context *c, const float *err, fqt_range_tracker *tracker, fqt_tensor *dx);

#endif
