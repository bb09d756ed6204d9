/*
 * Mirrors fqt.quant.FloatMath: exp and log in plain float32 steps (no libm), so the loss and
 * softmax agree to the bit with the host. Build without fused multiply-add (-ffp-contract=off).
 */
#ifndef FQT_FLOAT_MATH_H
#define FQT_FLOAT_MATH_H

/* e^x; inputs clamped to [-87, 88]. */
float fqt_float_math_exp(float x);
/* Natural log for x > 0; -88.72284f for zero or subnormal inputs, NaN for negatives. */
float fqt_float_math_log(float x);

#endif
