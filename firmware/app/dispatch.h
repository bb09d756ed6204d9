/* The one place that maps a request to its handler, whatever framing carried it. */
#ifndef FQT_DISPATCH_H
#define FQT_DISPATCH_H

#include <stdint.h>

/* Handles one request; writes the answer (at most resp_cap bytes) to resp and its length to
 * *resp_len, returns a STATUS_ code from messages.h. */
uint8_t dispatch(uint8_t type, const uint8_t *req, uint32_t req_len, uint8_t *resp, uint32_t resp_cap,
                 uint32_t *resp_len);

#endif
