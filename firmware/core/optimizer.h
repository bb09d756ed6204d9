/*
 * Mirrors fqt.train.Optimizer and its implementations (Sgd, StandardizedSgd, Momentum, Adam): each
 * turns a structure's gradient sum over the batch into an update delta in the same place, in
 * float32 with Java's operation order. State layout in fqt_weights.opt (floats; per weight only for
 * layers whose weights train):
 *   standardized SGD: mean[S], std[S]                     (std < 0: no batch seen yet)
 *   momentum:         v[count], vb[S]
 *   Adam:             m[count], v[count], mb[S], vb[S], pow1[S], pow2[S]
 */
#ifndef FQT_OPTIMIZER_H
#define FQT_OPTIMIZER_H

#include <stdint.h>
#include "weights.h"

#define FQT_OPTIMIZER_EPS 1e-8f

/* Codes of the model blob. */
typedef enum {
    FQT_OPTIMIZER_SGD = 0,
    FQT_OPTIMIZER_STANDARDIZED_SGD = 1,
    FQT_OPTIMIZER_MOMENTUM = 2,
    FQT_OPTIMIZER_ADAM = 3
} fqt_optimizer_kind;

typedef struct fqt_optimizer {
    fqt_optimizer_kind kind;
    float lr;
    float alpha_norm; /* standardized SGD */
    float mu;         /* momentum */
    float beta1;      /* Adam */
    float beta2;
} fqt_optimizer;

/* Bytes of state per weight (of a layer whose weights train) and per structure, as Java's stateBytesPerWeight/PerStructure. */
int32_t fqt_optimizer_state_bytes_per_weight(const fqt_optimizer *opt);
int32_t fqt_optimizer_state_bytes_per_structure(const fqt_optimizer *opt);
/* Sets the state of a fresh layer (Java allocates it lazily with these values). */
void fqt_optimizer_init_state(const fqt_optimizer *opt, fqt_weights *w);
/*
 * Structure o's delta from its sums over `samples` samples: g[0, structure_size) (NULL for a
 * bias-only layer's zeros) becomes the weight deltas, the bias delta is returned; commit 0 leaves
 * the state as it was (the first pass of an update without a gradient buffer).
 */
float fqt_optimizer_delta(const fqt_optimizer *opt, fqt_weights *w, int32_t o, float *g, float gb, int32_t samples, int commit);

#endif
