#include "conv_geometry.h"

/* Every dimension below 2^15 keeps all products of the kernels inside int32. */
#define DIM_LIMIT 32768

int fqt_conv_geometry_valid(const fqt_conv_geometry *g) {
    if (g->in_c <= 0 || g->in_h <= 0 || g->in_w <= 0 || g->out_c <= 0 || g->k_h <= 0 || g->k_w <= 0
        || g->stride <= 0 || g->pad < 0 || g->groups <= 0) return 0;
    if (g->in_c >= DIM_LIMIT || g->in_h >= DIM_LIMIT || g->in_w >= DIM_LIMIT || g->out_c >= DIM_LIMIT
        || g->k_h >= DIM_LIMIT || g->k_w >= DIM_LIMIT || g->stride >= DIM_LIMIT || g->pad >= DIM_LIMIT) return 0;
    if (g->in_c % g->groups != 0 || g->out_c % g->groups != 0) return 0;
    if (g->in_h + 2 * g->pad < g->k_h || g->in_w + 2 * g->pad < g->k_w) return 0;
    return 1;
}

int32_t fqt_conv_geometry_out_h(const fqt_conv_geometry *g) { return (g->in_h + 2 * g->pad - g->k_h) / g->stride + 1; }
int32_t fqt_conv_geometry_out_w(const fqt_conv_geometry *g) { return (g->in_w + 2 * g->pad - g->k_w) / g->stride + 1; }
int32_t fqt_conv_geometry_in_per_group(const fqt_conv_geometry *g) { return g->in_c / g->groups; }
int32_t fqt_conv_geometry_out_per_group(const fqt_conv_geometry *g) { return g->out_c / g->groups; }
int32_t fqt_conv_geometry_in_size(const fqt_conv_geometry *g) { return g->in_c * g->in_h * g->in_w; }

int32_t fqt_conv_geometry_out_size(const fqt_conv_geometry *g) {
    return g->out_c * fqt_conv_geometry_out_h(g) * fqt_conv_geometry_out_w(g);
}

int32_t fqt_conv_geometry_weight_count(const fqt_conv_geometry *g) {
    return g->out_c * fqt_conv_geometry_in_per_group(g) * g->k_h * g->k_w;
}

int32_t fqt_conv_geometry_filter_size(const fqt_conv_geometry *g) {
    return fqt_conv_geometry_in_per_group(g) * g->k_h * g->k_w;
}

int32_t fqt_conv_geometry_first_input(const fqt_conv_geometry *g, int32_t o) {
    return (o / fqt_conv_geometry_out_per_group(g)) * fqt_conv_geometry_in_per_group(g);
}

int32_t fqt_conv_geometry_lo(int32_t k, int32_t stride, int32_t pad) {
    int32_t num = pad - k;
    return num <= 0 ? 0 : (num + stride - 1) / stride;
}

int32_t fqt_conv_geometry_hi(int32_t k, int32_t stride, int32_t pad, int32_t in, int32_t out) {
    int32_t num = in - 1 + pad - k;
    int32_t h;
    if (num < 0) return 0;
    h = num / stride + 1;
    return h < out ? h : out;
}
