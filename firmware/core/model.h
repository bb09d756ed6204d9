/*
 * Mirrors fqt.nn.Model: a sequential network for one sample, ending in class logits that softmax
 * cross-entropy turns into errors. Layer structs and tensors live here (static); their buffers
 * come from the arena (arena.c) or stay in the model blob.
 */
#ifndef FQT_MODEL_H
#define FQT_MODEL_H

#include <stdint.h>
#include "context.h"
#include "layer.h"
#include "range_tracker.h"
#include "tensor.h"

#ifndef FQT_MAX_LAYERS
#define FQT_MAX_LAYERS 64
#endif

typedef struct {
    int32_t n_layers;
    fqt_layer layers[FQT_MAX_LAYERS];
    int32_t input_rank;
    int32_t input_shape[3];
    int32_t input_size;
    int32_t classes;
    int32_t lowest;                       /* lowest trainable layer: errors go down to it and no further */
    const fqt_quant_params *input_params; /* quantized models */
    fqt_range_tracker *loss_range;        /* range of the uint8 loss errors */
    fqt_range_tracker loss_range_state;   /* its storage unless the arena holds it (EMA error ranges) */
    /* features[t] is layer t's input, errors[t] the error of features[t]; t = n_layers: the logits. */
    fqt_tensor features[FQT_MAX_LAYERS + 1];
    fqt_tensor errors[FQT_MAX_LAYERS + 1];
    float *logits;
    float *loss_error;
} fqt_model;

/* Runs one sample forward from real-valued inputs (quantized to nearest with the input parameters). */
int fqt_model_forward(fqt_model *m, fqt_context *c, const float *input);
/* Runs one sample forward from uint8 codes already quantized with the input parameters. */
int fqt_model_forward_codes(fqt_model *m, fqt_context *c, const uint8_t *codes);
/*
 * Loss of the last forward for label, then the backward pass down to the lowest trainable layer,
 * adding this sample's gradients to the layers' buffers.
 */
int fqt_model_backward(fqt_model *m, fqt_context *c, int32_t label, float *loss);

#endif
