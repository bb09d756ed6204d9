/* Golden tests of the layer kernels: linear, conv2d, pooling, ReLU, bias gradient, softmax cross-entropy. */
#include <stdlib.h>
#include <string.h>

#include "avgpool2d_f32.h"
#include "avgpool2d_u8.h"
#include "bias_grad_f32.h"
#include "bias_grad_u8.h"
#include "conv2d_f32.h"
#include "conv2d_u8.h"
#include "conv2d_u8f32.h"
#include "golden.h"
#include "linear_f32.h"
#include "linear_u8.h"
#include "linear_u8f32.h"
#include "maxpool2d_f32.h"
#include "maxpool2d_u8.h"
#include "relu_f32.h"
#include "relu_u8.h"
#include "softmax_cross_entropy.h"

#define U8(name, n) ((uint8_t *) golden_array(c, name ".u8", 1, n))
#define I32(name, n) ((int32_t *) golden_array(c, name ".i32", 4, n))
#define F32(name, n) ((float *) golden_array(c, name ".f32", 4, n))

void test_linear_u8(golden_case *c) {
    int32_t in = golden_int(c, "in"), out = golden_int(c, "out");
    size_t n_sel;
    uint8_t *x = U8("x", NULL), *w = U8("w", NULL), *dy = U8("dy", NULL), *y = (uint8_t *) malloc((size_t) out);
    int32_t *bias_q = I32("bias_q", NULL), *sel = I32("sel", &n_sel), *dx_acc = (int32_t *) malloc(4 * (size_t) in);
    float *gw = F32("gw_in", NULL), *gb = F32("gb_in", NULL), *x_real = (float *) malloc(4 * (size_t) in);
    fqt_xorshift32 rng;
    fqt_requantizer rq;
    fqt_xorshift32_init(&rng, (uint32_t) golden_int(c, "rng_seed"));
    fqt_requantizer_reset(&rq, golden_float(c, "multiplier"), golden_int(c, "y_zp"), 0, (fqt_rounding) golden_int(c, "rounding"), &rng);
    fqt_linear_u8_forward(x, golden_int(c, "x_zp"), w, golden_int(c, "w_zp"), bias_q, y, in, out, &rq);
    fqt_linear_u8_backward_error(dy, golden_int(c, "dy_zp"), w, golden_int(c, "w_zp"), dx_acc, in, sel, (int32_t) n_sel);
    fqt_linear_u8_backward_weight(x, golden_int(c, "x_zp"), dy, golden_int(c, "dy_zp"), golden_float(c, "s_e"),
                                  golden_float(c, "grad_scale"), gw, gb, 0, in, sel, (int32_t) n_sel, x_real);
    golden_expect(c, "y.u8", y, (size_t) out, 1);
    golden_expect_int(c, "acc_min", golden_int(c, "acc_min"), rq.acc_min);
    golden_expect_int(c, "acc_max", golden_int(c, "acc_max"), rq.acc_max);
    golden_expect(c, "dx_acc.i32", dx_acc, 4 * (size_t) in, 4);
    golden_expect(c, "gw.f32", gw, 4 * (size_t) (in * out), 4);
    golden_expect(c, "gb.f32", gb, 4 * (size_t) out, 4);
    free(x); free(w); free(dy); free(y); free(bias_q); free(sel); free(dx_acc); free(gw); free(gb); free(x_real);
}

void test_linear_f32(golden_case *c) {
    int32_t in = golden_int(c, "in"), out = golden_int(c, "out");
    size_t n_sel;
    float *x = F32("x", NULL), *w = F32("w", NULL), *b = F32("b", NULL), *dy = F32("dy", NULL);
    float *y = (float *) malloc(4 * (size_t) out), *dx = (float *) malloc(4 * (size_t) in), *gw = F32("gw_in", NULL), *gb = F32("gb_in", NULL);
    int32_t *sel = I32("sel", &n_sel);
    fqt_linear_f32_forward(x, w, b, y, in, out);
    fqt_linear_f32_backward_error(dy, w, dx, in, sel, (int32_t) n_sel);
    fqt_linear_f32_backward_weight(x, dy, gw, gb, 0, in, sel, (int32_t) n_sel);
    golden_expect(c, "y.f32", y, 4 * (size_t) out, 4);
    golden_expect(c, "dx.f32", dx, 4 * (size_t) in, 4);
    golden_expect(c, "gw.f32", gw, 4 * (size_t) (in * out), 4);
    golden_expect(c, "gb.f32", gb, 4 * (size_t) out, 4);
    free(x); free(w); free(b); free(dy); free(y); free(dx); free(gw); free(gb); free(sel);
}

void test_linear_u8f32(golden_case *c) {
    int32_t in = golden_int(c, "in"), out = golden_int(c, "out");
    size_t n_sel;
    uint8_t *x = U8("x", NULL), *w = U8("w", NULL);
    float *dy = F32("dy", NULL), *dx = (float *) malloc(4 * (size_t) in), *gw = F32("gw_in", NULL), *gb = F32("gb_in", NULL);
    int32_t *sel = I32("sel", &n_sel);
    fqt_linear_u8f32_backward_error(dy, w, golden_int(c, "w_zp"), golden_float(c, "s_w"), dx, in, sel, (int32_t) n_sel);
    fqt_linear_u8f32_backward_weight(x, golden_int(c, "x_zp"), golden_float(c, "s_x"), dy, gw, gb, 0, in, sel, (int32_t) n_sel);
    golden_expect(c, "dx.f32", dx, 4 * (size_t) in, 4);
    golden_expect(c, "gw.f32", gw, 4 * (size_t) (in * out), 4);
    golden_expect(c, "gb.f32", gb, 4 * (size_t) out, 4);
    free(x); free(w); free(dy); free(dx); free(gw); free(gb); free(sel);
}

static fqt_conv_geometry conv_geometry(const golden_case *c) {
    fqt_conv_geometry g;
    g.in_c = golden_int(c, "in_c");
    g.in_h = golden_int(c, "in_h");
    g.in_w = golden_int(c, "in_w");
    g.out_c = golden_int(c, "out_c");
    g.k_h = golden_int(c, "k_h");
    g.k_w = golden_int(c, "k_w");
    g.stride = golden_int(c, "stride");
    g.pad = golden_int(c, "pad");
    g.groups = golden_int(c, "groups");
    return g;
}

void test_conv2d_u8(golden_case *c) {
    fqt_conv_geometry g = conv_geometry(c);
    size_t in = (size_t) fqt_conv_geometry_in_size(&g), out = (size_t) fqt_conv_geometry_out_size(&g), n_sel;
    size_t wc = (size_t) fqt_conv_geometry_weight_count(&g);
    uint8_t *x = U8("x", NULL), *w = U8("w", NULL), *dy = U8("dy", NULL), *y = (uint8_t *) malloc(out);
    int32_t *bias_q = I32("bias_q", NULL), *sel = I32("sel", &n_sel), *dx_acc = (int32_t *) malloc(4 * in);
    int32_t *acc = (int32_t *) malloc(4 * out);
    /* scratch_i16 (ARENA.md): the most padded planes of any use, plus the weight gradient's error rows */
    size_t planes = (size_t) (g.in_c > g.out_c ? g.in_c : g.out_c) + 1;
    int16_t *pad = (int16_t *) malloc(2 * planes * (size_t) (g.in_h + 2) * (size_t) (g.in_w + 2));
    float *gw = F32("gw_in", NULL), *gb = F32("gb_in", NULL);
    fqt_xorshift32 rng;
    fqt_requantizer rq;
    fqt_xorshift32_init(&rng, (uint32_t) golden_int(c, "rng_seed"));
    fqt_requantizer_reset(&rq, golden_float(c, "multiplier"), golden_int(c, "y_zp"), 0, (fqt_rounding) golden_int(c, "rounding"), &rng);
    fqt_conv2d_u8_forward(x, golden_int(c, "x_zp"), w, golden_int(c, "w_zp"), bias_q, y, &g, acc, pad, &rq);
    fqt_conv2d_u8_backward_error(dy, golden_int(c, "dy_zp"), w, golden_int(c, "w_zp"), dx_acc, pad, &g, sel, (int32_t) n_sel);
    fqt_conv2d_u8_backward_weight(x, golden_int(c, "x_zp"), dy, golden_int(c, "dy_zp"), golden_float(c, "s_e"),
                                  golden_float(c, "grad_scale"), gw, gb, 0, pad, &g, sel, (int32_t) n_sel);
    golden_expect(c, "y.u8", y, out, 1);
    golden_expect_int(c, "acc_min", golden_int(c, "acc_min"), rq.acc_min);
    golden_expect_int(c, "acc_max", golden_int(c, "acc_max"), rq.acc_max);
    golden_expect(c, "dx_acc.i32", dx_acc, 4 * in, 4);
    golden_expect(c, "gw.f32", gw, 4 * wc, 4);
    golden_expect(c, "gb.f32", gb, 4 * (size_t) g.out_c, 4);
    free(x); free(w); free(dy); free(y); free(bias_q); free(sel); free(dx_acc); free(acc); free(pad); free(gw); free(gb);
}

void test_conv2d_f32(golden_case *c) {
    fqt_conv_geometry g = conv_geometry(c);
    size_t in = (size_t) fqt_conv_geometry_in_size(&g), out = (size_t) fqt_conv_geometry_out_size(&g), n_sel;
    size_t wc = (size_t) fqt_conv_geometry_weight_count(&g);
    float *x = F32("x", NULL), *w = F32("w", NULL), *b = F32("b", NULL), *dy = F32("dy", NULL);
    float *y = (float *) malloc(4 * out), *dx = (float *) malloc(4 * in), *gw = F32("gw_in", NULL), *gb = F32("gb_in", NULL);
    int32_t *sel = I32("sel", &n_sel);
    fqt_conv2d_f32_forward(x, w, b, y, &g);
    fqt_conv2d_f32_backward_error(dy, w, dx, &g, sel, (int32_t) n_sel);
    fqt_conv2d_f32_backward_weight(x, dy, gw, gb, 0, &g, sel, (int32_t) n_sel);
    golden_expect(c, "y.f32", y, 4 * out, 4);
    golden_expect(c, "dx.f32", dx, 4 * in, 4);
    golden_expect(c, "gw.f32", gw, 4 * wc, 4);
    golden_expect(c, "gb.f32", gb, 4 * (size_t) g.out_c, 4);
    free(x); free(w); free(b); free(dy); free(y); free(dx); free(gw); free(gb); free(sel);
}

void test_conv2d_u8f32(golden_case *c) {
    fqt_conv_geometry g = conv_geometry(c);
    size_t in = (size_t) fqt_conv_geometry_in_size(&g), n_sel, wc = (size_t) fqt_conv_geometry_weight_count(&g);
    uint8_t *x = U8("x", NULL), *w = U8("w", NULL);
    float *dy = F32("dy", NULL), *dx = (float *) malloc(4 * in), *gw = F32("gw_in", NULL), *gb = F32("gb_in", NULL);
    int32_t *sel = I32("sel", &n_sel);
    fqt_conv2d_u8f32_backward_error(dy, w, golden_int(c, "w_zp"), golden_float(c, "s_w"), dx, &g, sel, (int32_t) n_sel);
    fqt_conv2d_u8f32_backward_weight(x, golden_int(c, "x_zp"), golden_float(c, "s_x"), dy, gw, gb, 0, &g, sel, (int32_t) n_sel);
    golden_expect(c, "dx.f32", dx, 4 * in, 4);
    golden_expect(c, "gw.f32", gw, 4 * wc, 4);
    golden_expect(c, "gb.f32", gb, 4 * (size_t) g.out_c, 4);
    free(x); free(w); free(dy); free(dx); free(gw); free(gb); free(sel);
}

void test_pool(golden_case *c) {
    fqt_pool_geometry g;
    size_t in, out;
    int32_t e_zp = golden_int(c, "e_zp");
    uint8_t *x, *dy, *y, *dx;
    float *xf, *dyf, *yf, *dxf;
    g.channels = golden_int(c, "channels");
    g.in_h = golden_int(c, "in_h");
    g.in_w = golden_int(c, "in_w");
    g.k_h = golden_int(c, "k_h");
    g.k_w = golden_int(c, "k_w");
    g.stride = golden_int(c, "stride");
    in = (size_t) fqt_pool_geometry_in_size(&g);
    out = (size_t) fqt_pool_geometry_out_size(&g);
    x = U8("x", NULL);
    dy = U8("dy", NULL);
    xf = F32("xf", NULL);
    dyf = F32("dyf", NULL);
    y = (uint8_t *) malloc(out);
    dx = (uint8_t *) malloc(in);
    yf = (float *) malloc(4 * out);
    dxf = (float *) malloc(4 * in);
    fqt_maxpool2d_u8_forward(x, y, &g);
    golden_expect(c, "max_y.u8", y, out, 1);
    fqt_maxpool2d_u8_backward(x, dy, e_zp, dx, &g);
    golden_expect(c, "max_dx.u8", dx, in, 1);
    fqt_maxpool2d_u8_backward_f32(x, dyf, dxf, &g);
    golden_expect(c, "max_dx_mixed.f32", dxf, 4 * in, 4);
    fqt_avgpool2d_u8_forward(x, y, &g);
    golden_expect(c, "avg_y.u8", y, out, 1);
    fqt_avgpool2d_u8_backward(dy, e_zp, dx, &g);
    golden_expect(c, "avg_dx.u8", dx, in, 1);
    fqt_maxpool2d_f32_forward(xf, yf, &g);
    golden_expect(c, "max_yf.f32", yf, 4 * out, 4);
    fqt_maxpool2d_f32_backward(xf, dyf, dxf, &g);
    golden_expect(c, "max_dxf.f32", dxf, 4 * in, 4);
    fqt_avgpool2d_f32_forward(xf, yf, &g);
    golden_expect(c, "avg_yf.f32", yf, 4 * out, 4);
    fqt_avgpool2d_f32_backward(dyf, dxf, &g);
    golden_expect(c, "avg_dxf.f32", dxf, 4 * in, 4);
    free(x); free(dy); free(xf); free(dyf); free(y); free(dx); free(yf); free(dxf);
}

void test_relu(golden_case *c) {
    int32_t n = golden_int(c, "n"), x_zp = golden_int(c, "x_zp"), e_zp = golden_int(c, "e_zp");
    uint8_t *x = U8("x", NULL), *dy = U8("dy", NULL), *y = (uint8_t *) malloc((size_t) n), *dx = (uint8_t *) malloc((size_t) n);
    float *xf = F32("xf", NULL), *dyf = F32("dyf", NULL), *yf = (float *) malloc(4 * (size_t) n), *dxf = (float *) malloc(4 * (size_t) n);
    fqt_relu_u8_forward(x, x_zp, y, n);
    golden_expect(c, "y.u8", y, (size_t) n, 1);
    fqt_relu_u8_backward(x, x_zp, dy, e_zp, dx, n);
    golden_expect(c, "dx.u8", dx, (size_t) n, 1);
    fqt_relu_u8_backward_f32(x, x_zp, dyf, dxf, n);
    golden_expect(c, "dx_mixed.f32", dxf, 4 * (size_t) n, 4);
    fqt_relu_f32_forward(xf, yf, n);
    golden_expect(c, "yf.f32", yf, 4 * (size_t) n, 4);
    fqt_relu_f32_backward(xf, dyf, dxf, n);
    golden_expect(c, "dxf.f32", dxf, 4 * (size_t) n, 4);
    /* In place, as the arena runs it: the same bits. */
    memcpy(y, x, (size_t) n);
    fqt_relu_u8_forward(y, x_zp, y, n);
    golden_expect(c, "y.u8", y, (size_t) n, 1);
    free(x); free(dy); free(y); free(dx); free(xf); free(dyf); free(yf); free(dxf);
}

void test_bias_grad(golden_case *c) {
    int32_t s = golden_int(c, "structures"), per = golden_int(c, "per");
    size_t n_sel;
    uint8_t *dy = U8("dy", NULL);
    float *dyf = F32("dyf", NULL), *gb = F32("gb_in", NULL), *gbf = F32("gb_in", NULL);
    int32_t *sel = I32("sel", &n_sel);
    fqt_bias_grad_u8_backward(dy, golden_int(c, "zp"), golden_float(c, "s_e"), gb, 0, per, sel, (int32_t) n_sel);
    fqt_bias_grad_f32_backward(dyf, gbf, 0, per, sel, (int32_t) n_sel);
    golden_expect(c, "gb_u8.f32", gb, 4 * (size_t) s, 4);
    golden_expect(c, "gb_f32.f32", gbf, 4 * (size_t) s, 4);
    free(dy); free(dyf); free(gb); free(gbf); free(sel);
}

void test_softmax_cross_entropy(golden_case *c) {
    int32_t n = golden_int(c, "n"), label;
    float *logits = F32("logits", NULL), *loss = (float *) malloc(4 * (size_t) n), *err = (float *) malloc(4 * (size_t) (n * n));
    float *in_place = (float *) malloc(4 * (size_t) n);
    golden_expect_int(c, "argmax", golden_int(c, "argmax"), fqt_softmax_cross_entropy_argmax(logits, n));
    for (label = 0; label < n; label++) {
        loss[label] = fqt_softmax_cross_entropy_loss_and_error(logits, n, label, err + label * n);
    }
    golden_expect(c, "loss.f32", loss, 4 * (size_t) n, 4);
    golden_expect(c, "err.f32", err, 4 * (size_t) (n * n), 4);
    /* In place (err == logits), as the arena runs it: the same bits. */
    for (label = 0; label < n; label++) {
        memcpy(in_place, logits, 4 * (size_t) n);
        loss[label] = fqt_softmax_cross_entropy_loss_and_error(in_place, n, label, in_place);
        memcpy(err + label * n, in_place, 4 * (size_t) n);
    }
    golden_expect(c, "loss.f32", loss, 4 * (size_t) n, 4);
    golden_expect(c, "err.f32", err, 4 * (size_t) (n * n), 4);
    free(logits); free(loss); free(err); free(in_place);
}
