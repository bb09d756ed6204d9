/* Golden tests of xorshift32.c, rounding.h, quant_params.c, requantize.c and float_math.c. */
#include <stdlib.h>
#include <string.h>

#include "float_math.h"
#include "golden.h"
#include "quant_params.h"
#include "requantize.h"
#include "rounding.h"
#include "xorshift32.h"

void test_xorshift32(golden_case *c) {
    size_t seeds, k, s;
    int32_t n = golden_int(c, "n");
    uint32_t *seed = (uint32_t *) golden_array(c, "seed.i32", 4, &seeds);
    uint32_t *ints = (uint32_t *) malloc(4 * seeds * (size_t) n), *units = (uint32_t *) malloc(4 * seeds * (size_t) n);
    for (s = 0; s < seeds; s++) {
        fqt_xorshift32 a, b;
        fqt_xorshift32_init(&a, seed[s]);
        fqt_xorshift32_init(&b, seed[s]);
        for (k = 0; k < (size_t) n; k++) {
            float u = fqt_xorshift32_next_unit(&b);
            ints[s * (size_t) n + k] = fqt_xorshift32_next_int(&a);
            memcpy(&units[s * (size_t) n + k], &u, 4);
        }
    }
    golden_expect(c, "next_int.i32", ints, 4 * seeds * (size_t) n, 4);
    golden_expect(c, "next_unit.i32", units, 4 * seeds * (size_t) n, 4);
    free(seed);
    free(ints);
    free(units);
}

void test_rounding(golden_case *c) {
    size_t n, k;
    float *v = (float *) golden_array(c, "v.f32", 4, &n);
    int32_t *floor = (int32_t *) malloc(4 * n), *nearest = (int32_t *) malloc(4 * n), *stochastic = (int32_t *) malloc(4 * n);
    fqt_xorshift32 rng;
    fqt_xorshift32_init(&rng, (uint32_t) golden_int(c, "rng_seed"));
    for (k = 0; k < n; k++) {
        floor[k] = fqt_rounding_round(FQT_ROUNDING_FLOOR, v[k], NULL);
        nearest[k] = fqt_rounding_round(FQT_ROUNDING_NEAREST, v[k], NULL);
        stochastic[k] = fqt_rounding_round(FQT_ROUNDING_STOCHASTIC, v[k], &rng);
    }
    golden_expect(c, "floor.i32", floor, 4 * n, 4);
    golden_expect(c, "nearest.i32", nearest, 4 * n, 4);
    golden_expect(c, "stochastic.i32", stochastic, 4 * n, 4);
    free(v);
    free(floor);
    free(nearest);
    free(stochastic);
}

void test_quant_params(golden_case *c) {
    size_t n, k;
    float *lo = (float *) golden_array(c, "lo.f32", 4, &n), *hi = (float *) golden_array(c, "hi.f32", 4, NULL);
    float *values = (float *) golden_array(c, "values.f32", 4, NULL);
    float *scale = (float *) malloc(4 * n), *dequant = (float *) malloc(4 * n);
    int32_t *zp = (int32_t *) malloc(4 * n), *floor = (int32_t *) malloc(4 * n), *nearest = (int32_t *) malloc(4 * n);
    int32_t *stochastic = (int32_t *) malloc(4 * n);
    fqt_xorshift32 rng;
    fqt_xorshift32_init(&rng, (uint32_t) golden_int(c, "rng_seed"));
    for (k = 0; k < n; k++) {
        fqt_quant_params p;
        if (fqt_quant_params_from_range(lo[k], hi[k], &p) != 0) golden_fail(c, "from_range rejected a finite range");
        scale[k] = p.scale;
        zp[k] = p.zero_point;
        nearest[k] = fqt_quant_params_quantize(&p, values[k], FQT_ROUNDING_NEAREST, NULL);
        floor[k] = fqt_quant_params_quantize(&p, values[k], FQT_ROUNDING_FLOOR, NULL);
        stochastic[k] = fqt_quant_params_quantize(&p, values[k], FQT_ROUNDING_STOCHASTIC, &rng);
        dequant[k] = fqt_quant_params_dequantize(&p, nearest[k]);
    }
    golden_expect(c, "scale.f32", scale, 4 * n, 4);
    golden_expect(c, "zero_point.i32", zp, 4 * n, 4);
    golden_expect(c, "floor.i32", floor, 4 * n, 4);
    golden_expect(c, "nearest.i32", nearest, 4 * n, 4);
    golden_expect(c, "stochastic.i32", stochastic, 4 * n, 4);
    golden_expect(c, "dequantized.f32", dequant, 4 * n, 4);
    {
        /* Where Java throws: a non-finite range. */
        fqt_quant_params p;
        float inf = 1.0f / 0.0f;
        if (fqt_quant_params_from_range(-inf, 1.0f, &p) == 0 || fqt_quant_params_from_range(0.0f, inf - inf, &p) == 0
            || fqt_quant_params_from_range(-3e38f, 3e38f, &p) == 0) {
            golden_fail(c, "from_range accepted a non-finite range or scale");
        }
    }
    free(lo);
    free(hi);
    free(values);
    free(scale);
    free(dequant);
    free(zp);
    free(floor);
    free(nearest);
    free(stochastic);
}

void test_requantize(golden_case *c) {
    size_t n, k;
    int32_t *acc = (int32_t *) golden_array(c, "acc.i32", 4, &n);
    float *bias = (float *) golden_array(c, "bias.f32", 4, NULL);
    uint8_t *q = (uint8_t *) malloc(n);
    int32_t *bias_q = (int32_t *) malloc(4 * n);
    float s_in = golden_float(c, "s_in"), s_w = golden_float(c, "s_w"), m = fqt_requantizer_multiplier(s_in, s_w, golden_float(c, "s_out"));
    fqt_xorshift32 rng;
    fqt_requantizer rq;
    uint32_t mb, want = (uint32_t) 0;
    float expected_m = golden_float(c, "multiplier");
    memcpy(&mb, &m, 4);
    memcpy(&want, &expected_m, 4);
    golden_expect_int(c, "multiplier bits", want, mb);
    fqt_xorshift32_init(&rng, (uint32_t) golden_int(c, "rng_seed"));
    fqt_requantizer_reset(&rq, m, golden_int(c, "zero_point"), golden_int(c, "relu"), (fqt_rounding) golden_int(c, "rounding"), &rng);
    for (k = 0; k < n; k++) {
        q[k] = (uint8_t) fqt_requantizer_apply(&rq, acc[k]);
        bias_q[k] = fqt_requantizer_quantize_bias(bias[k], s_in * s_w);
    }
    golden_expect(c, "q.u8", q, n, 1);
    golden_expect(c, "bias_q.i32", bias_q, 4 * n, 4);
    golden_expect_int(c, "acc_min", golden_int(c, "acc_min"), rq.acc_min);
    golden_expect_int(c, "acc_max", golden_int(c, "acc_max"), rq.acc_max);
    /* The array loop (VCVT on the M4 and M7) gives the same bytes and range. */
    fqt_xorshift32_init(&rng, (uint32_t) golden_int(c, "rng_seed"));
    fqt_requantizer_reset(&rq, m, golden_int(c, "zero_point"), golden_int(c, "relu"), (fqt_rounding) golden_int(c, "rounding"), &rng);
    memset(q, 0, n);
    fqt_requantizer_apply_array(&rq, acc, q, (int32_t) n);
    golden_expect(c, "q.u8", q, n, 1);
    golden_expect_int(c, "apply_array acc_min", golden_int(c, "acc_min"), rq.acc_min);
    golden_expect_int(c, "apply_array acc_max", golden_int(c, "acc_max"), rq.acc_max);
    free(acc);
    free(bias);
    free(q);
    free(bias_q);
}

void test_float_math(golden_case *c) {
    size_t n, k;
    float *x = (float *) golden_array(c, "x.f32", 4, &n);
    float *e = (float *) malloc(4 * n), *l = (float *) malloc(4 * n);
    for (k = 0; k < n; k++) {
        float a;
        uint32_t bits;
        memcpy(&bits, &x[k], 4);
        bits &= 0x7FFFFFFFu; /* Java's Math.abs: NaN keeps its payload, -0 becomes +0 */
        memcpy(&a, &bits, 4);
        e[k] = fqt_float_math_exp(x[k]);
        l[k] = fqt_float_math_log(a * (k % 3 == 0 ? 1e-20f : 1.0f));
    }
    golden_expect(c, "exp.f32", e, 4 * n, 4);
    golden_expect(c, "log.f32", l, 4 * n, 4);
    free(x);
    free(e);
    free(l);
}
