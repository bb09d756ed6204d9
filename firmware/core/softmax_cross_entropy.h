/*
 * Mirrors fqt.kernels.SoftmaxCrossEntropy on float32 logits: loss = log(sum_j exp(z_j - m)) - (z_label - m),
 * m = max z; error softmax(z) - onehot(label); exp and log from float_math.c.
 */
#ifndef FQT_SOFTMAX_CROSS_ENTROPY_H
#define FQT_SOFTMAX_CROSS_ENTROPY_H

#include <stdint.h>

/* Writes the error into err (which may be logits: in place) and returns the loss. */
float fqt_softmax_cross_entropy_loss_and_error(const float *logits, int32_t n, int32_t label, float *err);
/* Index of the largest logit, the first one on ties. */
int32_t fqt_softmax_cross_entropy_argmax(const float *logits, int32_t n);

#endif
