/*
 * Mirrors fqt.nn.Tensor: one sample's features or errors between two layers, float32 values in f
 * or uint8 codes in q with their parameters. params follows Java's reference semantics: a layer
 * that passes its input's parameters on copies the pointer; a layer that quantizes writes into the
 * storage of its own tensor (slot) and points there.
 */
#ifndef FQT_TENSOR_H
#define FQT_TENSOR_H

#include <stdint.h>
#include "quant_params.h"

typedef struct {
    int32_t size;
    float *f;
    uint8_t *q;
    const fqt_quant_params *params;
    fqt_quant_params *slot; /* where this tensor's own parameters are stored (uint8 errors) */
} fqt_tensor;

#endif
