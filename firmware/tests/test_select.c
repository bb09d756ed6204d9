/* Golden tests of select.c: magnitudes, layer means, budgets and the deterministic top-k. */
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "select.h"

void test_select(golden_case *c) {
    int32_t s = golden_int(c, "structures"), per = golden_int(c, "per"), k, a, b;
    uint8_t *dy = (uint8_t *) golden_array(c, "dy.u8", 1, NULL);
    float *dyf = (float *) golden_array(c, "dyf.f32", 4, NULL), *lambdas = (float *) golden_array(c, "lambdas.f32", 4, NULL);
    float *errors = (float *) golden_array(c, "errors.f32", 4, NULL), *mag_f = (float *) malloc(4 * (size_t) s);
    int32_t *mag = (int32_t *) malloc(4 * (size_t) s), *budget = (int32_t *) malloc(4 * 20);
    int32_t *top = (int32_t *) calloc((size_t) (s * s), 4);
    int64_t *scratch = (int64_t *) malloc(8 * (size_t) s);
    float mean_u8, mean_f32;
    uint32_t got, want;
    float expect;
    fqt_select_magnitudes_u8(dy, golden_int(c, "zp"), s, per, mag);
    fqt_select_magnitudes_f32(dyf, s, per, mag_f);
    golden_expect(c, "mag.i32", mag, 4 * (size_t) s, 4);
    golden_expect(c, "mag_f32.f32", mag_f, 4 * (size_t) s, 4);
    mean_u8 = fqt_select_mean_u8(mag, s, golden_float(c, "scale"), s * per);
    mean_f32 = fqt_select_mean_f32(mag_f, s, s * per);
    expect = golden_float(c, "mean_u8");
    memcpy(&got, &mean_u8, 4);
    memcpy(&want, &expect, 4);
    golden_expect_int(c, "mean_u8 bits", want, got);
    expect = golden_float(c, "mean_f32");
    memcpy(&got, &mean_f32, 4);
    memcpy(&want, &expect, 4);
    golden_expect_int(c, "mean_f32 bits", want, got);
    for (a = 0; a < 4; a++)
        for (b = 0; b < 5; b++) budget[a * 5 + b] = fqt_select_budget(lambdas[a], 1.0f, errors[b], 2.5f, s);
    golden_expect(c, "budget.i32", budget, 4 * 20, 4);
    for (k = 1; k <= s; k++) fqt_select_top_k(mag, s, k, scratch, top + (k - 1) * s);
    golden_expect(c, "top_k.i32", top, 4 * (size_t) (s * s), 4);
    free(dy); free(dyf); free(lambdas); free(errors); free(mag_f); free(mag); free(budget); free(top); free(scratch);
}
