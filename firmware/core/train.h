/*
 * Mirrors the per-sample loop of fqt.train.Training.fit and its evaluation: forward, loss, backward
 * into the gradient buffers; every batch samples (and at the last sample of an epoch) the optimizer
 * updates the layers that train. The training stream is Xorshift32(seed); evaluations draw from
 * their own stream, seeded with EVAL_SEED at the start of each evaluation.
 */
#ifndef FQT_TRAIN_H
#define FQT_TRAIN_H

#include <stdint.h>
#include "context.h"
#include "model.h"
#include "optimizer.h"
#include "select.h"

/* Java's Training.EVAL_SEED. */
#define FQT_EVAL_SEED 0x5EED

typedef struct {
    fqt_precision precision;
    fqt_rounding rounding;
    fqt_error_range error_range;
    float alpha_a;
    float alpha_e;
    int32_t batch;
    int64_t seed;
    fqt_optimizer optimizer;
    /* Partial updates; lambda_min >= 1 means full updates (no ranking). */
    float lambda_min;
    float lambda_max;
    fqt_error_by error_by;
    uint8_t full_head;    /* the last layer with weights updates every structure */
    /* Applied by the host before the blob was written (the layer flags); carried to write it back whole. */
    uint8_t bias_only;
    uint8_t train_last;
    uint32_t epochs;
    uint32_t calibration;
    uint8_t loss;         /* 0 softmax cross-entropy, 1 MSE against the input */
    fqt_gradients gradients; /* the setting; AUTO resolves by fqt_train_config_gradients */
} fqt_train_config;

/* Whether structures are ranked (partial updates with lambda_min below 1). */
int fqt_train_config_ranking(const fqt_train_config *cfg);
/* Gradients.of: IN_PLACE at batch 1, else INT8 in UINT8, else FLOAT32. */
fqt_gradients fqt_gradients_of(fqt_precision precision, int32_t batch);
/* TrainingConfig.gradientsUsed: the setting, AUTO resolved by fqt_gradients_of. */
fqt_gradients fqt_train_config_gradients(const fqt_train_config *cfg);

typedef struct {
    fqt_train_config config;
    fqt_model *model;
    fqt_xorshift32 rng;
    fqt_xorshift32 eval_rng;
    fqt_context ctx;
    fqt_context eval_ctx;
    fqt_selector selector;   /* used when ranking */
    int32_t in_batch;
    /* Time per phase in ctx.clock units, summed over the samples; selection is ctx.select_time. */
    uint64_t forward_time;   /* forward pass and prediction */
    uint64_t backward_time;  /* loss and backward pass, without the selection */
    uint64_t update_time;    /* optimizer steps and requantization of the weights */
} fqt_trainer;

/* Sets up the contexts of a run; the model's buffers are already allocated (arena.c). */
void fqt_trainer_init(fqt_trainer *t);
/*
 * One training sample (real-valued input, or uint8 codes when codes is not NULL); last: the last
 * sample of the epoch, which ends the batch. Writes the loss and the prediction made before the update.
 */
int fqt_trainer_sample(fqt_trainer *t, const float *input, const uint8_t *codes, int32_t label, int last,
                       float *loss, int32_t *predicted);
/* Starts an evaluation: reseeds its stream. */
void fqt_trainer_begin_evaluation(fqt_trainer *t);
/* Forward only, ranges untouched: the predicted class; for an MSE model the float32 bit pattern of the sample's reconstruction error. */
int fqt_trainer_predict(fqt_trainer *t, const float *input, const uint8_t *codes, int32_t *predicted);

#endif
