/*
 * Reading the golden vectors of testdata/golden/<kernel>/<case>/ (written by
 * src/test/java/fqt/golden/GoldenVectors.java): raw little-endian arrays and params.txt; every
 * comparison is on exact bytes and prints the first mismatch. Also built for the virtual boards
 * with newlib-nano, whose printf knows neither %zu nor %lld: sizes print as %lu of unsigned long.
 */
#ifndef FQT_TESTS_GOLDEN_H
#define FQT_TESTS_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char dir[1024];
    const char *kernel;
    const char *name;
    int failures;
} golden_case;

/* The array file name (malloc'd, 8-aligned); *count gets its element count for the given element size. */
void *golden_array(const golden_case *c, const char *file, size_t element_bytes, size_t *count);
int32_t golden_int(const golden_case *c, const char *key);
float golden_float(const golden_case *c, const char *key);
/* Compares bytes with the file; on a mismatch prints the first differing element and counts a failure. */
void golden_expect(golden_case *c, const char *file, const void *actual, size_t bytes, size_t element_bytes);
void golden_expect_int(golden_case *c, const char *what, int64_t expected, int64_t actual);
void golden_fail(golden_case *c, const char *what);

/* Runs every case of the plan file (NULL: dir/plan.txt) from dir, printing each failure and a
 * summary: 0 when all passed, 1 when any failed (or there was none), 2 when the plan is missing.
 * main: host_main.c on the host, port/mps2/test/golden.c on the virtual boards. */
int golden_run_plan(const char *dir, const char *plan_file);

/* The tests of one kernel family; each returns after checking the case. */
void test_xorshift32(golden_case *c);
void test_rounding(golden_case *c);
void test_quant_params(golden_case *c);
void test_requantize(golden_case *c);
void test_float_math(golden_case *c);
void test_linear_u8(golden_case *c);
void test_linear_f32(golden_case *c);
void test_linear_u8f32(golden_case *c);
void test_conv2d_u8(golden_case *c);
void test_conv2d_f32(golden_case *c);
void test_conv2d_u8f32(golden_case *c);
void test_pool(golden_case *c);
void test_relu(golden_case *c);
void test_bias_grad(golden_case *c);
void test_softmax_cross_entropy(golden_case *c);
void test_select(golden_case *c);
void test_model_blob(golden_case *c);

#endif
