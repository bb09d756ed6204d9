#include "dispatch.h"

#include <string.h>

#include "board.h"
#include "messages.h"
#include "training.h"

#define FIRMWARE_VERSION "0.1.0"

static proto_bytes text(const char *s)
{
    proto_bytes b = {(const uint8_t *)s, (uint32_t)strlen(s)};
    return b;
}

static uint8_t fail(uint8_t status, int32_t detail, uint8_t *resp, uint16_t *resp_len)
{
    *resp_len = (uint16_t)proto_detail_encode(detail, resp, PROTO_MAX_PAYLOAD);
    return status;
}

static uint8_t hello(uint8_t *resp, uint16_t *resp_len)
{
    proto_hello m = {PROTO_VERSION, PROTO_MAX_PAYLOAD};
    *resp_len = (uint16_t)proto_hello_encode(&m, resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}

static uint8_t info(uint8_t *resp, uint16_t *resp_len)
{
    proto_info m;
    m.clock_hz = BOARD_CLOCK_HZ;
    m.ram_bytes = board_ram_bytes();
    m.core = text(board_core_name());
    m.firmware_version = text(FIRMWARE_VERSION);
    m.build_id.data = board_build_id(&m.build_id.len);
    m.arena_capacity = training_arena_capacity();
    m.blob_capacity = board_model_store_bytes();
    m.board = text(board_profile_name());
    m.stack_used = board_stack_used();
    *resp_len = (uint16_t)proto_info_encode(&m, resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}

uint8_t dispatch(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    *resp_len = 0;
    switch (req->type) {
    case PROTO_HELLO:
        return req->len == 0u ? hello(resp, resp_len) : fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    case PROTO_INFO:
        return req->len == 0u ? info(resp, resp_len) : fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    case PROTO_RESET:
        if (req->len != 0u) return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
        training_reset();
        return PROTO_OK;
    case PROTO_ECHO:
        memcpy(resp, req->payload, req->len);
        *resp_len = req->len;
        return PROTO_OK;
    case PROTO_LOAD_MODEL:
        return training_load(req, resp, resp_len);
    case PROTO_CONFIGURE:
        return training_configure(req, resp, resp_len);
    case PROTO_TRAIN_SAMPLE:
        return training_sample(req, resp, resp_len);
    case PROTO_TRAIN_BATCH:
        return training_batch(req, resp, resp_len);
    case PROTO_EVALUATE:
        return training_evaluate(req, resp, resp_len);
    case PROTO_READ_WEIGHTS:
        return training_read_weights(req, resp, resp_len);
    case PROTO_READ_STATS:
        return training_read_stats(req, resp, resp_len);
    case PROTO_READ_STATE:
        return training_read_state(req, resp, resp_len);
    case PROTO_WRITE_STATE:
        return training_write_state(req, resp, resp_len);
    case PROTO_STAGE_INPUT:
        return training_stage_input(req, resp, resp_len);
    case PROTO_TRAIN_STAGED:
        return training_train_staged(req, resp, resp_len);
    case PROTO_EVALUATE_STAGED:
        return training_evaluate_staged(req, resp, resp_len);
    default:
        return fail(PROTO_ERR_UNKNOWN_TYPE, 0, resp, resp_len);
    }
}
