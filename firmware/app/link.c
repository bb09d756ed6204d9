#include "link.h"

#include <stddef.h>
#include <stdint.h>

#include "dispatch.h"
#include "session.h"
#include "uart.h"

/* Static: about 12 KiB of buffers (a frame in, the response being built, the last response kept). */
static proto_session session;

static void send(void)
{
    size_t n;
    const uint8_t *out = proto_session_out(&session, &n);
    for (size_t i = 0; i < n; i++) {
        uart_putc(out[i]);
    }
}

void link_serve(void)
{
    proto_session_init(&session);
    for (;;) {
        proto_frame req;
        switch (proto_session_push(&session, uart_getc(), &req)) {
        case PROTO_SESSION_NONE:
            break;
        case PROTO_SESSION_REQUEST: {
            uint16_t len = 0;
            uint8_t status = dispatch(&req, proto_session_payload(&session), &len);
            proto_session_respond(&session, &req, status, len);
            send();
            break;
        }
        case PROTO_SESSION_SEND:
            send();
            break;
        }
    }
}
