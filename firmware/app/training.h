/* The training messages (PROTOCOL.md): a model blob loaded in chunks, training samples, evaluation,
 * the trained model read back, statistics, and checkpoints of the whole training state. The model,
 * its blob and its arena are static: one model per board. */
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

/* RESET: drops the model, settings and statistics. */
void training_reset(void);

#endif
