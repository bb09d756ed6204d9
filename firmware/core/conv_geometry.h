/*
 * Mirrors fqt.kernels.ConvGeometry: shapes of a 2-D (grouped) convolution on one sample, NCHW
 * without N: input [in_c][in_h][in_w], weights [out_c][in_c/groups][k_h][k_w], output
 * [out_c][out_h][out_w], out_h = (in_h + 2*pad - k_h) / stride + 1. Padding is implicit (skipped).
 */
#ifndef FQT_CONV_GEOMETRY_H
#define FQT_CONV_GEOMETRY_H

#include <stdint.h>

typedef struct {
    int32_t in_c, in_h, in_w, out_c, k_h, k_w, stride, pad, groups;
} fqt_conv_geometry;

/* The checks of Java's constructor; 1 when the geometry is valid (sizes must also fit int32). */
int fqt_conv_geometry_valid(const fqt_conv_geometry *g);
int32_t fqt_conv_geometry_out_h(const fqt_conv_geometry *g);
int32_t fqt_conv_geometry_out_w(const fqt_conv_geometry *g);
int32_t fqt_conv_geometry_in_per_group(const fqt_conv_geometry *g);
int32_t fqt_conv_geometry_out_per_group(const fqt_conv_geometry *g);
int32_t fqt_conv_geometry_in_size(const fqt_conv_geometry *g);
int32_t fqt_conv_geometry_out_size(const fqt_conv_geometry *g);
int32_t fqt_conv_geometry_weight_count(const fqt_conv_geometry *g);
/* Weights of one output channel (one structure for partial updates). */
int32_t fqt_conv_geometry_filter_size(const fqt_conv_geometry *g);
/* First input channel read by output channel o. */
int32_t fqt_conv_geometry_first_input(const fqt_conv_geometry *g, int32_t o);
/* First output row whose kernel row k lands inside the input: oy*stride - pad + k >= 0. */
int32_t fqt_conv_geometry_lo(int32_t k, int32_t stride, int32_t pad);
/* One past the last output row whose kernel row k lands inside an input of size in. */
int32_t fqt_conv_geometry_hi(int32_t k, int32_t stride, int32_t pad, int32_t in, int32_t out);

#endif
