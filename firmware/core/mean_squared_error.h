/*
 * Mirrors fqt.kernels.MeanSquaredError: loss = (1/n) sum (y_i - t_i)^2, error e_i = (y_i - t_i) * (2/n),
 * float32, summed in index order. The target is the model's input as the model saw it: its float32
 * values, or its uint8 codes dequantized. error may be y itself (in place).
 */
#ifndef FQT_MEAN_SQUARED_ERROR_H
#define FQT_MEAN_SQUARED_ERROR_H

#include <stdint.h>
#include "tensor.h"

float fqt_mse_loss_and_error(const float *y, const fqt_tensor *input, int32_t n, float *error);
/* The loss alone (evaluation). */
float fqt_mse_loss(const float *y, const fqt_tensor *input, int32_t n);

#endif
