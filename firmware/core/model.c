#include "model.h"

#include "fqt_status.h"
#include "softmax_cross_entropy.h"

static int forward_layers(fqt_model *m, fqt_context *c) {
    fqt_tensor *out = &m->features[m->n_layers];
    int32_t i;
    for (i = 0; i < m->n_layers; i++) {
        fqt_layer *l = &m->layers[i];
        if (fqt_layer_has_weights(l)) {
            int status = fqt_weight_layer_forward(l, &m->features[i], &m->features[i + 1], c);
            if (status != FQT_OK) return status;
        } else {
            fqt_pass_through_layer_forward(l, &m->features[i], &m->features[i + 1]);
        }
    }
    if (out->q != 0) {
        for (i = 0; i < m->classes; i++) m->logits[i] = fqt_quant_params_dequantize(out->params, out->q[i]);
    }
    return FQT_OK;
}

int fqt_model_forward(fqt_model *m, fqt_context *c, const float *input) {
    fqt_tensor *x0 = &m->features[0];
    int32_t i;
    if (x0->q != 0) {
        x0->params = m->input_params;
        /* Inputs are data, not training arithmetic: nearest, no random draw. */
        fqt_quant_params_quantize_array(m->input_params, input, x0->q, x0->size, FQT_ROUNDING_NEAREST, 0);
    } else {
        for (i = 0; i < x0->size; i++) x0->f[i] = input[i];
    }
    return forward_layers(m, c);
}

int fqt_model_forward_codes(fqt_model *m, fqt_context *c, const uint8_t *codes) {
    fqt_tensor *x0 = &m->features[0];
    int32_t i;
    if (x0->q == 0) return FQT_ERR_INPUT;
    x0->params = m->input_params;
    for (i = 0; i < x0->size; i++) x0->q[i] = codes[i];
    return forward_layers(m, c);
}

int fqt_model_backward(fqt_model *m, fqt_context *c, int32_t label, float *loss) {
    int32_t n = m->n_layers, l;
    fqt_tensor *top = &m->errors[n];
    if (label < 0 || label >= m->classes) return FQT_ERR_INPUT;
    *loss = fqt_softmax_cross_entropy_loss_and_error(m->logits, m->classes, label, m->loss_error);
    if (top->q != 0) {
        int status = fqt_context_quantize_errors_f32(c, m->loss_error, m->loss_range, top);
        if (status != FQT_OK) return status;
    }
    if (c->selector != 0) fqt_selector_begin_sample(c->selector, *loss);
    for (l = n - 1; l >= m->lowest; l--) {
        fqt_layer *layer = &m->layers[l];
        fqt_tensor *dx = l > m->lowest ? &m->errors[l] : 0;
        if (fqt_layer_has_weights(layer)) {
            int status = fqt_weight_layer_backward(layer, &m->features[l], &m->features[l + 1], &m->errors[l + 1], dx, c);
            if (status != FQT_OK) return status;
        } else {
            fqt_pass_through_layer_backward(layer, &m->features[l], &m->errors[l + 1], dx, c);
        }
    }
    for (l = 0; l < n; l++) {
        if (fqt_layer_has_weights(&m->layers[l]) && !m->layers[l].frozen) m->layers[l].w.samples++;
    }
    return FQT_OK;
}
