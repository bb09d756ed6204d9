#include "train.h"

#include "fqt_status.h"
#include "mean_squared_error.h"
#include "softmax_cross_entropy.h"

#include <string.h>

int fqt_train_config_ranking(const fqt_train_config *cfg) {
    return cfg->lambda_min < 1.0f;
}

fqt_gradients fqt_gradients_of(fqt_precision precision, int32_t batch) {
    if (batch == 1) return FQT_GRADIENTS_IN_PLACE;
    return precision == FQT_PRECISION_UINT8 ? FQT_GRADIENTS_INT8 : FQT_GRADIENTS_FLOAT32;
}

fqt_gradients fqt_train_config_gradients(const fqt_train_config *cfg) {
    return cfg->gradients == FQT_GRADIENTS_AUTO ? fqt_gradients_of(cfg->precision, cfg->batch) : cfg->gradients;
}

void fqt_trainer_init(fqt_trainer *t) {
    fqt_context *c = &t->ctx;
    fqt_xorshift32_init_long(&t->rng, t->config.seed);
    c->precision = t->config.precision;
    c->rounding = t->config.rounding;
    c->error_range = t->config.error_range;
    c->alpha_a = t->config.alpha_a;
    c->alpha_e = t->config.alpha_e;
    c->rng = &t->rng;
    c->training = 1;
    c->selector = fqt_train_config_ranking(&t->config) ? &t->selector : 0;
    c->gradients = fqt_train_config_gradients(&t->config);
    c->optimizer = &t->config.optimizer;
    t->eval_ctx = *c;
    t->eval_ctx.rng = &t->eval_rng;
    t->eval_ctx.training = 0;
    t->eval_ctx.on_select = 0;
    fqt_xorshift32_init(&t->eval_rng, FQT_EVAL_SEED);
    t->in_batch = 0;
}

static int forward(fqt_model *m, fqt_context *c, const float *input, const uint8_t *codes) {
    return codes != 0 ? fqt_model_forward_codes(m, c, codes) : fqt_model_forward(m, c, input);
}

static int is_finite(float v) {
    return v == v && v - v == 0.0f;
}

int fqt_trainer_sample(fqt_trainer *t, const float *input, const uint8_t *codes, int32_t label, int last,
                       float *loss, int32_t *predicted) {
    fqt_model *m = t->model;
    int32_t i;
    uint64_t start = fqt_context_now(&t->ctx), select_start = t->ctx.select_time, end;
    int status = forward(m, &t->ctx, input, codes);
    if (status != FQT_OK) return status;
    *predicted = fqt_softmax_cross_entropy_argmax(m->logits, m->classes);
    end = fqt_context_now(&t->ctx);
    t->forward_time += end - start;
    start = end;
    status = fqt_model_backward(m, &t->ctx, label, loss);
    if (status != FQT_OK) return status;
    end = fqt_context_now(&t->ctx);
    t->backward_time += end - start - (t->ctx.select_time - select_start);
    if (!is_finite(*loss)) return FQT_ERR_NONFINITE;
    t->in_batch++;
    if (t->in_batch == t->config.batch || last) {
        start = end;
        for (i = 0; i < m->n_layers; i++) {
            fqt_layer *l = &m->layers[i];
            if (!fqt_layer_has_weights(l) || l->frozen) continue;
            status = fqt_weights_update(&l->w, &t->config.optimizer, t->ctx.gradients, t->ctx.grad_row, t->ctx.sel, t->config.rounding,
                                        &t->rng);
            if (status != FQT_OK) return status;
        }
        t->update_time += fqt_context_now(&t->ctx) - start;
        t->in_batch = 0;
    }
    return FQT_OK;
}

void fqt_trainer_begin_evaluation(fqt_trainer *t) {
    fqt_xorshift32_init(&t->eval_rng, FQT_EVAL_SEED);
}

int fqt_trainer_predict(fqt_trainer *t, const float *input, const uint8_t *codes, int32_t *predicted) {
    fqt_model *m = t->model;
    int status = forward(m, &t->eval_ctx, input, codes);
    if (status != FQT_OK) return status;
    if (m->loss == 1) {
        /* A reconstruction model answers its error: the float32 bits of the sample's MSE. */
        float e = fqt_mse_loss(m->logits, &m->features[0], m->classes);
        memcpy(predicted, &e, sizeof e);
    } else {
        *predicted = fqt_softmax_cross_entropy_argmax(m->logits, m->classes);
    }
    return FQT_OK;
}
