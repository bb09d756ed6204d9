/*
 * Mirrors fqt.nn.Layer and its kinds: WeightLayer (Linear, Conv2d) in weight_layer.c,
 * PassThroughLayer (ReLU, Clamp, MaxPool2d, AvgPool2d, Flatten) in pass_through_layer.c, Add in add_layer.c.
 */
#ifndef FQT_LAYER_H
#define FQT_LAYER_H

#include <stdint.h>
#include "context.h"
#include "conv_geometry.h"
#include "pool_geometry.h"
#include "range_tracker.h"
#include "tensor.h"
#include "weights.h"

/* Codes of the model blob. */
typedef enum {
    FQT_LAYER_LINEAR = 1,
    FQT_LAYER_CONV2D = 2,
    FQT_LAYER_RELU = 3,
    FQT_LAYER_MAXPOOL2D = 4,
    FQT_LAYER_AVGPOOL2D = 5,
    FQT_LAYER_FLATTEN = 6,
    FQT_LAYER_ADD = 7,
    FQT_LAYER_CLAMP = 8
} fqt_layer_kind;

/*
 * A weight layer's uint8 output (16 bytes, the plan's "out.qparams"): the parameters of this
 * sample's output tensor and the running range. Java keeps outParams == from_range(range) at all
 * times, so each forward starts from from_range(range) and the parameters of the last output stay
 * valid for the backward pass.
 */
typedef struct {
    fqt_quant_params params;
    fqt_range_tracker range;
} fqt_output_qparams;

typedef struct {
    fqt_layer_kind kind;
    int32_t index;
    int32_t n_inputs;                  /* tensors read: 1, or 2 for Add */
    int32_t inputs[2];                 /* tensor 0 is the input, t + 1 the output of layer t */
    int32_t in_size;
    int32_t out_size;
    int32_t in_features, out_features; /* Linear */
    fqt_conv_geometry conv;            /* Conv2d */
    fqt_pool_geometry pool;            /* MaxPool2d, AvgPool2d */
    float clamp_lo, clamp_hi;          /* Clamp */
    /* Layers with weights. */
    fqt_weights w;
    uint8_t frozen;
    uint8_t relu_follows;              /* weight layers, Add: the output clamps at its zero point (fused ReLU) */
    int32_t select_slot;               /* position among the updated layers */
    uint8_t full_update;               /* the head with fullHead: never ranked, every structure updated */
    fqt_output_qparams *out;           /* weight layers and Add, quantized precisions */
    fqt_range_tracker *err_range;      /* uint8 errors propagated to the input, EMA error ranges only */
} fqt_layer;

int fqt_layer_has_weights(const fqt_layer *l);
/* Weight layers and Add: they compute new uint8 values and own their output's parameters. */
int fqt_layer_requantizes(const fqt_layer *l);

int fqt_weight_layer_forward(fqt_layer *l, const fqt_tensor *x, fqt_tensor *y, fqt_context *c);
/* dx is NULL when no layer below needs the error. */
/* Zeroes dy where y saturated (in place), then the weight gradient and the input error. */
int fqt_weight_layer_backward(fqt_layer *l, const fqt_tensor *x, const fqt_tensor *y, fqt_tensor *dy, fqt_tensor *dx,
                              fqt_context *c);
/* Zeroes dy where the requantized uint8 output y saturated (255, or 0 above a zero point of 0). */
void fqt_zero_saturated_errors(const fqt_tensor *y, fqt_tensor *dy);
int fqt_add_layer_forward(fqt_layer *l, const fqt_tensor *a, const fqt_tensor *b, fqt_tensor *y, fqt_context *c);
void fqt_pass_through_layer_forward(const fqt_layer *l, const fqt_tensor *x, fqt_tensor *y);
void fqt_pass_through_layer_backward(const fqt_layer *l, const fqt_tensor *x, const fqt_tensor *dy, fqt_tensor *dx,
                                     const fqt_context *c);

#endif
