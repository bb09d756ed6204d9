#include "context.h"

#include "fqt_status.h"

int fqt_precision_quantized_features(fqt_precision p) { return p != FQT_PRECISION_FLOAT32; }
int fqt_precision_quantized_errors(fqt_precision p) { return p == FQT_PRECISION_UINT8; }

uint64_t fqt_context_now(const fqt_context *c) {
    return c->clock != 0 ? c->clock() : 0;
}

fqt_requantizer *fqt_context_requantizer(fqt_context *c, float multiplier, int32_t zero_point, int relu_clamp) {
    fqt_requantizer_reset(&c->rq, multiplier, zero_point, relu_clamp, c->rounding, c->rng);
    return &c->rq;
}

static int error_params(fqt_context *c, fqt_range_tracker *tracker, float real_min, float real_max, fqt_quant_params *p) {
    int status = FQT_OK;
    switch (c->error_range) {
    case FQT_ERROR_RANGE_FIXED:
        status = fqt_quant_params_from_range(-1.0f, 1.0f, p); /* Java's QuantParams.UNIT_RANGE */
        break;
    case FQT_ERROR_RANGE_EXACT:
        status = fqt_quant_params_from_range(real_min, real_max, p);
        break;
    case FQT_ERROR_RANGE_EMA:
        status = fqt_range_tracker_seen(tracker) ? fqt_range_tracker_params(tracker, p)
                                                 : fqt_quant_params_from_range(real_min, real_max, p);
        break;
    }
    if (status != FQT_OK) return status;
    if (tracker != 0) fqt_range_tracker_observe(tracker, real_min, real_max, c->alpha_e);
    return FQT_OK;
}

int fqt_context_quantize_errors_acc(fqt_context *c, const int32_t *acc, float acc_scale, fqt_range_tracker *tracker, fqt_tensor *dx) {
    int32_t lo = INT32_MAX, hi = INT32_MIN, i;
    float real_min, real_max;
    fqt_quant_params p;
    fqt_requantizer *r;
    int status;
    for (i = 0; i < dx->size; i++) {
        if (acc[i] < lo) lo = acc[i];
        if (acc[i] > hi) hi = acc[i];
    }
    real_min = (float) lo * acc_scale;
    real_max = (float) hi * acc_scale;
    status = error_params(c, tracker, real_min, real_max, &p);
    if (status != FQT_OK) return status;
    r = fqt_context_requantizer(c, acc_scale / p.scale, p.zero_point, 0);
    fqt_requantizer_apply_array(r, acc, dx->q, dx->size);
    *dx->slot = p;
    dx->params = dx->slot;
    return FQT_OK;
}

int fqt_context_quantize_errors_f32(fqt_context *c, const float *err, fqt_range_tracker *tracker, fqt_tensor *dx) {
    float lo = err[0], hi = err[0];
    fqt_quant_params p;
    int32_t i;
    int status;
    for (i = 1; i < dx->size; i++) {
        if (err[i] < lo) lo = err[i];
        if (err[i] > hi) hi = err[i];
    }
    status = error_params(c, tracker, lo, hi, &p);
    if (status != FQT_OK) return status;
    for (i = 0; i < dx->size; i++) dx->q[i] = (uint8_t) fqt_quant_params_quantize(&p, err[i], c->rounding, c->rng);
    *dx->slot = p;
    dx->params = dx->slot;
    return FQT_OK;
}
