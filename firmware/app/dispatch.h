/* The one place that maps a request to its handler, whatever framing carried it. */
#ifndef FQT_DISPATCH_H
#define FQT_DISPATCH_H

#include <stdint.h>

#include "frame.h"

/* Handles one request: writes the answer's payload (at most PROTO_MAX_PAYLOAD bytes) to resp and
 * its length to *resp_len, returns a PROTO_ status (messages.h); a failure's payload is its detail. */
uint8_t dispatch(const proto_frame *req, uint8_t *resp, uint16_t *resp_len);

#endif
