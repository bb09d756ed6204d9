#include "pool_geometry.h"

/* Every dimension below 2^15 keeps the kernels' sums and indices inside int32. */
#define DIM_LIMIT 32768

int fqt_pool_geometry_valid(const fqt_pool_geometry *g) {
    if (g->channels <= 0 || g->k_h <= 0 || g->k_w <= 0 || g->stride <= 0 || g->k_h > g->in_h || g->k_w > g->in_w) return 0;
    return g->channels < DIM_LIMIT && g->in_h < DIM_LIMIT && g->in_w < DIM_LIMIT && g->stride < DIM_LIMIT;
}

int32_t fqt_pool_geometry_out_h(const fqt_pool_geometry *g) { return (g->in_h - g->k_h) / g->stride + 1; }
int32_t fqt_pool_geometry_out_w(const fqt_pool_geometry *g) { return (g->in_w - g->k_w) / g->stride + 1; }
int32_t fqt_pool_geometry_in_size(const fqt_pool_geometry *g) { return g->channels * g->in_h * g->in_w; }

int32_t fqt_pool_geometry_out_size(const fqt_pool_geometry *g) {
    return g->channels * fqt_pool_geometry_out_h(g) * fqt_pool_geometry_out_w(g);
}

int32_t fqt_pool_geometry_window(const fqt_pool_geometry *g) { return g->k_h * g->k_w; }

int fqt_pool_geometry_disjoint(const fqt_pool_geometry *g) {
    return (g->stride >= g->k_h && g->stride >= g->k_w) || (fqt_pool_geometry_out_h(g) == 1 && fqt_pool_geometry_out_w(g) == 1);
}
