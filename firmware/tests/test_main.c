/* Runs every case of testdata/golden/plan.txt against firmware/core/ (golden_run_plan). */
#include <stdio.h>
#include <string.h>

#include "golden.h"

typedef struct {
    const char *kernel;
    void (*test)(golden_case *c);
} entry;

static const entry TESTS[] = {
    {"xorshift32", test_xorshift32},
    {"rounding", test_rounding},
    {"quant_params", test_quant_params},
    {"requantize", test_requantize},
    {"float_math", test_float_math},
    {"linear_u8", test_linear_u8},
    {"linear_f32", test_linear_f32},
    {"linear_u8f32", test_linear_u8f32},
    {"conv2d_u8", test_conv2d_u8},
    {"conv2d_f32", test_conv2d_f32},
    {"conv2d_u8f32", test_conv2d_u8f32},
    {"pool", test_pool},
    {"relu", test_relu},
    {"bias_grad", test_bias_grad},
    {"softmax_cross_entropy", test_softmax_cross_entropy},
    {"select", test_select},
    {"model_blob", test_model_blob},
};

int golden_run_plan(const char *dir, const char *plan_file) {
    char path[1024], line[512], kernel[128], name[128];
    FILE *plan;
    int cases = 0, failed = 0;
    size_t t;
    if (plan_file == NULL) {
        snprintf(path, sizeof path, "%s/plan.txt", dir);
        plan_file = path;
    }
    plan = fopen(plan_file, "r");
    if (plan == NULL) {
        fprintf(stderr, "fqt_tests: no plan at %s\n", plan_file);
        return 2;
    }
    while (fgets(line, sizeof line, plan) != NULL) {
        golden_case c;
        if (line[0] == '#' || sscanf(line, "%127s %127s", kernel, name) != 2) continue;
        for (t = 0; t < sizeof TESTS / sizeof TESTS[0] && strcmp(TESTS[t].kernel, kernel) != 0; t++) {
        }
        memset(&c, 0, sizeof c);
        snprintf(c.dir, sizeof c.dir, "%s/%s/%s", dir, kernel, name);
        c.kernel = kernel;
        c.name = name;
        if (t == sizeof TESTS / sizeof TESTS[0]) golden_fail(&c, "no C test for this kernel");
        else TESTS[t].test(&c);
        cases++;
        if (c.failures > 0) failed++;
    }
    fclose(plan);
    printf("firmware/tests: %d golden cases, %d passed, %d failed\n", cases, cases - failed, failed);
    return failed == 0 && cases > 0 ? 0 : 1;
}
