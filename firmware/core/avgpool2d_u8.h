/*
 * Mirrors fqt.kernels.AvgPool2dU8: the output keeps the input's parameters, so the mean of the codes
 * is the code of the mean; integer division rounds to nearest, ties up: floor((2*sum + n) / 2n).
 */
#ifndef FQT_AVGPOOL2D_U8_H
#define FQT_AVGPOOL2D_U8_H

#include <stdint.h>
#include "pool_geometry.h"

void fqt_avgpool2d_u8_forward(const uint8_t *x, uint8_t *y, const fqt_pool_geometry *g);
/* Each input of a window gets round((dy - zp) / n) added to its error code (errors start at the zero point). */
/*
 * Java's AvgPool2dU8.backward: disjoint windows give each input its window's error code (the caller
 * divides the error's scale by the window); overlapping ones add round((dy - zp) / n) to each input.
 */
void fqt_avgpool2d_u8_backward(const uint8_t *dy, int32_t e_zp, uint8_t *dx, const fqt_pool_geometry *g);

#endif
