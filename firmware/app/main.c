/* The board application: answers the host's requests, one at a time, forever. */
#include <stdint.h>

#include "board.h"
#include "dispatch.h"
#include "link.h"
#include "messages.h"

static uint8_t request[LINK_MAX_PAYLOAD];
static uint8_t response[LINK_MAX_PAYLOAD];

int main(void)
{
    board_init();
    for (;;) {
        uint8_t type;
        uint32_t len;
        uint32_t resp_len = 0;
        uint8_t status;
        switch (link_receive(&type, request, &len)) {
        case LINK_OK:
            status = dispatch(type, request, len, response, sizeof response, &resp_len);
            break;
        case LINK_TOO_LONG:
            status = STATUS_TOO_LONG;
            break;
        default:
            continue; /* a broken request gets no answer; the host times out and retries */
        }
        link_send(type, status, response, resp_len);
    }
}
