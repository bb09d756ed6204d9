/*
 * Mirrors fqt.kernels.PoolGeometry: a pooling window over [channels][in_h][in_w], no padding,
 * out_h = (in_h - k_h) / stride + 1. Global average pooling is the window k_h = in_h, k_w = in_w.
 */
#ifndef FQT_POOL_GEOMETRY_H
#define FQT_POOL_GEOMETRY_H

#include <stdint.h>

typedef struct {
    int32_t channels, in_h, in_w, k_h, k_w, stride;
} fqt_pool_geometry;

int fqt_pool_geometry_valid(const fqt_pool_geometry *g);
int32_t fqt_pool_geometry_out_h(const fqt_pool_geometry *g);
int32_t fqt_pool_geometry_out_w(const fqt_pool_geometry *g);
int32_t fqt_pool_geometry_in_size(const fqt_pool_geometry *g);
int32_t fqt_pool_geometry_out_size(const fqt_pool_geometry *g);
int32_t fqt_pool_geometry_window(const fqt_pool_geometry *g);
/* Every input lies in at most one window (Java's PoolGeometry.disjoint). */
int fqt_pool_geometry_disjoint(const fqt_pool_geometry *g);
/* Index of the window's top-left input for output (c, oy, ox); inline, the pools call it per output. */
static inline int32_t fqt_pool_geometry_origin(const fqt_pool_geometry *g, int32_t c, int32_t oy, int32_t ox) {
    return (c * g->in_h + oy * g->stride) * g->in_w + ox * g->stride;
}

#endif
