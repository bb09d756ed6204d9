#include "dispatch.h"

#include <string.h>

#include "board.h"
#include "messages.h"

#define FIRMWARE_VERSION "0.1.0"

/* Appends a length-prefixed byte string (at most 255 bytes). */
static uint32_t put_bytes(uint8_t *out, uint32_t at, const void *s, uint32_t n)
{
    out[at] = (uint8_t)n;
    memcpy(out + at + 1u, s, n);
    return at + 1u + n;
}

static uint32_t put_u32(uint8_t *out, uint32_t at, uint32_t v)
{
    for (uint32_t i = 0; i < 4u; i++) {
        out[at + i] = (uint8_t)(v >> (8u * i));
    }
    return at + 4u;
}

/* INFO answer, little-endian: clock Hz (u32), RAM bytes (u32), then three length-prefixed
 * strings: core name, firmware version, build id (raw bytes of the GNU build-id). */
static uint32_t info(uint8_t *resp)
{
    uint32_t id_len;
    const uint8_t *id = board_build_id(&id_len);
    const char *core = board_core_name();
    uint32_t n = put_u32(resp, 0, BOARD_CLOCK_HZ);
    n = put_u32(resp, n, board_ram_bytes());
    n = put_bytes(resp, n, core, (uint32_t)strlen(core));
    n = put_bytes(resp, n, FIRMWARE_VERSION, (uint32_t)strlen(FIRMWARE_VERSION));
    return put_bytes(resp, n, id, id_len);
}

uint8_t dispatch(uint8_t type, const uint8_t *req, uint32_t req_len, uint8_t *resp, uint32_t resp_cap,
                 uint32_t *resp_len)
{
    *resp_len = 0;
    switch (type) {
    case MSG_INFO:
        *resp_len = info(resp);
        return STATUS_OK;
    case MSG_ECHO:
        if (req_len > resp_cap) {
            return STATUS_TOO_LONG;
        }
        memcpy(resp, req, req_len);
        *resp_len = req_len;
        return STATUS_OK;
    default:
        return STATUS_UNKNOWN_TYPE;
    }
}
