#include "crc32c.h"

/* Bit by bit, no table: 1 KiB of Flash saved for 45 instructions a byte on a Cortex-M4 (gcc -O2),
 * 190 000 for a full 4 KiB frame: a few milliseconds, against 360 ms to send it at 115200 baud. */
uint32_t proto_crc32c(uint32_t crc, const uint8_t *data, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= data[i];
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}
