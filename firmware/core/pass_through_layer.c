/*
 * Mirrors fqt.nn.PassThroughLayer with the kernel calls of ReLU, Clamp, MaxPool2d, AvgPool2d and Flatten:
 * the uint8 output keeps its input's parameters, the uint8 input error its output error's.
 */
#include "layer.h"

#include <string.h>

#include "avgpool2d_f32.h"
#include "avgpool2d_u8.h"
#include "clamp_u8.h"
#include "maxpool2d_f32.h"
#include "maxpool2d_u8.h"
#include "relu_f32.h"
#include "relu_u8.h"

/*
 * Flatten copies; the memory plan runs it (and ReLU) in place, where there is nothing to copy.
 * memmove: the loader checks the plan's bounds, not that the host kept buffers apart.
 */
static void copy(void *dst, const void *src, size_t bytes) {
    if (dst != src) memmove(dst, src, bytes);
}

/* Clamp's bounds as codes of the input's parameters (Java's Clamp.inputParams). */
static void clamp_codes(const fqt_layer *l, const fqt_quant_params *p, int32_t *qlo, int32_t *qhi) {
    *qlo = fqt_quant_params_quantize(p, l->clamp_lo, FQT_ROUNDING_NEAREST, 0);
    *qhi = fqt_quant_params_quantize(p, l->clamp_hi, FQT_ROUNDING_NEAREST, 0);
}

void fqt_pass_through_layer_forward(const fqt_layer *l, const fqt_tensor *x, fqt_tensor *y) {
    int32_t n = l->in_size, qlo, qhi;
    if (x->q != 0) {
        y->params = x->params;
        switch (l->kind) {
        case FQT_LAYER_RELU: fqt_relu_u8_forward(x->q, x->params->zero_point, y->q, n); break;
        case FQT_LAYER_CLAMP:
            clamp_codes(l, x->params, &qlo, &qhi);
            fqt_clamp_u8_forward(x->q, qlo, qhi, y->q, n);
            break;
        case FQT_LAYER_MAXPOOL2D: fqt_maxpool2d_u8_forward(x->q, y->q, &l->pool); break;
        case FQT_LAYER_AVGPOOL2D: fqt_avgpool2d_u8_forward(x->q, y->q, &l->pool); break;
        default: copy(y->q, x->q, (size_t) n); break;
        }
    } else {
        switch (l->kind) {
        case FQT_LAYER_RELU: fqt_relu_f32_forward(x->f, y->f, n); break;
        case FQT_LAYER_CLAMP: fqt_clamp_f32_forward(x->f, l->clamp_lo, l->clamp_hi, y->f, n); break;
        case FQT_LAYER_MAXPOOL2D: fqt_maxpool2d_f32_forward(x->f, y->f, &l->pool); break;
        case FQT_LAYER_AVGPOOL2D: fqt_avgpool2d_f32_forward(x->f, y->f, &l->pool); break;
        default: copy(y->f, x->f, (size_t) n * sizeof(float)); break;
        }
    }
}

void fqt_pass_through_layer_backward(const fqt_layer *l, const fqt_tensor *x, const fqt_tensor *dy, fqt_tensor *dx,
                                     const fqt_context *c) {
    int32_t n = l->in_size, qlo = 0, qhi = 0;
    if (dx == 0) return;
    if (l->kind == FQT_LAYER_CLAMP && x->q != 0) clamp_codes(l, x->params, &qlo, &qhi);
    switch (c->precision) {
    case FQT_PRECISION_FLOAT32:
        switch (l->kind) {
        case FQT_LAYER_RELU: fqt_relu_f32_backward(x->f, dy->f, dx->f, n); break;
        case FQT_LAYER_CLAMP: fqt_clamp_f32_backward(x->f, l->clamp_lo, l->clamp_hi, dy->f, dx->f, n); break;
        case FQT_LAYER_MAXPOOL2D: fqt_maxpool2d_f32_backward(x->f, dy->f, dx->f, &l->pool); break;
        case FQT_LAYER_AVGPOOL2D: fqt_avgpool2d_f32_backward(dy->f, dx->f, &l->pool); break;
        default: copy(dx->f, dy->f, (size_t) n * sizeof(float)); break;
        }
        break;
    case FQT_PRECISION_MIXED:
        switch (l->kind) {
        case FQT_LAYER_RELU: fqt_relu_u8_backward_f32(x->q, x->params->zero_point, dy->f, dx->f, n); break;
        case FQT_LAYER_CLAMP: fqt_clamp_u8_backward_f32(x->q, qlo, qhi, dy->f, dx->f, n); break;
        case FQT_LAYER_MAXPOOL2D: fqt_maxpool2d_u8_backward_f32(x->q, dy->f, dx->f, &l->pool); break;
        case FQT_LAYER_AVGPOOL2D: fqt_avgpool2d_f32_backward(dy->f, dx->f, &l->pool); break;
        default: copy(dx->f, dy->f, (size_t) n * sizeof(float)); break;
        }
        break;
    case FQT_PRECISION_UINT8:
        /* Java's dx.params = dy.params, by value: every error buffer holds its own (ARENA.md 2). */
        *dx->slot = *dy->params;
        dx->params = dx->slot;
        /* Disjoint average pooling passes its codes on and divides the scale instead (Java's AvgPool2d.errorParams). */
        if (l->kind == FQT_LAYER_AVGPOOL2D && fqt_pool_geometry_disjoint(&l->pool)) {
            dx->slot->scale = dy->params->scale / (float) fqt_pool_geometry_window(&l->pool);
        }
        switch (l->kind) {
        case FQT_LAYER_RELU: fqt_relu_u8_backward(x->q, x->params->zero_point, dy->q, dy->params->zero_point, dx->q, n); break;
        case FQT_LAYER_CLAMP: fqt_clamp_u8_backward(x->q, qlo, qhi, dy->q, dy->params->zero_point, dx->q, n); break;
        case FQT_LAYER_MAXPOOL2D: fqt_maxpool2d_u8_backward(x->q, dy->q, dy->params->zero_point, dx->q, &l->pool); break;
        case FQT_LAYER_AVGPOOL2D: fqt_avgpool2d_u8_backward(dy->q, dy->params->zero_point, dx->q, &l->pool); break;
        default: copy(dx->q, dy->q, (size_t) n); break;
        }
        break;
    }
}
