/* The training messages (PROTOCOL.md): a model blob loaded in chunks, training samples, evaluation,
 * the trained model read back, statistics, and checkpoints of the whole training state. One model
 * per board: its blob in the board's Flash model store, its arena the RAM the linker left (board.h). */
#ifndef FQT_TRAINING_H
#define FQT_TRAINING_H

#include <stdint.h>

#include "frame.h"

/* Each answers one request as dispatch() does: payload to resp, its length to *resp_len, a PROTO_ status. */
uint8_t training_load(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);
uint8_t training_configure(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);
uint8_t training_sample(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);
uint8_t training_batch(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);
uint8_t training_evaluate(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);
uint8_t training_read_weights(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);
uint8_t training_read_stats(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);
uint8_t training_read_state(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);
uint8_t training_write_state(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);
uint8_t training_stage_input(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);
uint8_t training_train_staged(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);
uint8_t training_evaluate_staged(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);

/* Takes the board's arena; before the first request. */
void training_init(void);

/* Bytes of the arena: the largest memory plan (Memory.plan) this board trains. */
uint32_t training_arena_capacity(void);

/* RESET: drops the model, settings and statistics. */
void training_reset(void);

#endif
