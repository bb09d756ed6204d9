/* Mirrors fqt.nn.Add's forward pass (its backward pass is the model's: model.c). */
#include "layer.h"

#include "add_u8.h"
#include "fqt_status.h"

int fqt_add_layer_forward(fqt_layer *l, const fqt_tensor *a, const fqt_tensor *b, fqt_tensor *y, fqt_context *c) {
    float v_min, v_max;
    int status;
    if (a->q == 0) {
        fqt_add_f32_forward(a->f, b->f, y->f, y->size);
        return FQT_OK;
    }
    status = fqt_range_tracker_params(&l->out->range, &l->out->params);
    if (status != FQT_OK) return status;
    y->params = &l->out->params;
    fqt_add_u8_forward(a->q, a->params, b->q, b->params, &l->out->params, l->relu_follows, c->rounding, c->rng, y->q,
                       y->size, &v_min, &v_max);
    if (c->training && c->alpha_a > 0.0f) {
        float s = l->out->params.scale;
        fqt_quant_params next;
        fqt_range_tracker_observe(&l->out->range, l->relu_follows ? 0.0f : v_min * s, v_max * s, c->alpha_a);
        return fqt_range_tracker_params(&l->out->range, &next);
    }
    return FQT_OK;
}
