/*
 * Mirrors fqt.nn.Model: a network for one sample as a directed acyclic graph of layers in execution
 * order (tensor 0 the input, tensor t + 1 the output of layer t), ending in class logits (softmax
 * cross-entropy) or a reconstruction of the input (MSE). Layer structs and tensors live here
 * (static); their buffers come from the arena (arena.c, at the offsets of the blob's plan) or stay
 * in the model blob.
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
    uint8_t loss;                         /* 0 softmax cross-entropy, 1 MSE against the input */
    uint8_t runs[FQT_MAX_LAYERS];         /* the layer runs backward (Java's Model.runsBackward) */
    uint8_t n_readers[FQT_MAX_LAYERS + 1];/* input edges reading each tensor */
    int32_t last_reader[FQT_MAX_LAYERS + 1];
    /* The blob's activation plan: bytes of the region, offsets of each tensor's buffers (-1: none). */
    uint32_t region_bytes;
    int32_t feature_at[FQT_MAX_LAYERS + 1], error_at[FQT_MAX_LAYERS + 1];
    int32_t sum_at[FQT_MAX_LAYERS + 1], share_at[FQT_MAX_LAYERS + 1], loss_at;
    const uint8_t *plan;                  /* the plan section in the blob, written back as it came */
    uint32_t plan_bytes;
    const fqt_quant_params *input_params; /* quantized models */
    fqt_range_tracker *loss_range;        /* range of the uint8 loss errors */
    fqt_range_tracker loss_range_state;   /* its storage unless the arena holds it (EMA error ranges) */
    /* features[t] is layer t's input, errors[t] the error of features[t]; t = n_layers: the logits. */
    fqt_tensor features[FQT_MAX_LAYERS + 1];
    fqt_tensor errors[FQT_MAX_LAYERS + 1];
    /* Fan-outs: the UINT8 float32 sum of the readers' shares (float precisions sum in errors[t]),
       the tensor one share is made in, and (UINT8, EMA) the summed error's range. */
    float *sums[FQT_MAX_LAYERS + 1];
    fqt_tensor shares[FQT_MAX_LAYERS + 1];
    fqt_range_tracker *sum_ranges[FQT_MAX_LAYERS + 1];
    float *logits;
    float *loss_error;
} fqt_model;

/* Runs one sample forward from real-valued inputs (quantized to nearest with the input parameters). */
int fqt_model_forward(fqt_model *m, fqt_context *c, const float *input);
/* Runs one sample forward from uint8 codes already quantized with the input parameters. */
int fqt_model_forward_codes(fqt_model *m, fqt_context *c, const uint8_t *codes);
/* 1 when the error of tensor t is computed: its producer runs backward. */
int fqt_model_needs_error(const fqt_model *m, int32_t t);
/*
 * Loss of the last forward (label for cross-entropy; the input for MSE), then the backward pass
 * through the layers that run backward, adding this sample's gradients to the layers' buffers.
 */
int fqt_model_backward(fqt_model *m, fqt_context *c, int32_t label, float *loss);

#endif
