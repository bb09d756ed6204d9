#include "crc32.h"

/* Bit by bit: no table, so nothing extra in RAM or Flash; a blob is checked once per load. */
uint32_t fqt_crc32_update(uint32_t crc, const uint8_t *data, size_t n) {
    size_t i;
    int k;
    crc = ~crc;
    for (i = 0; i < n; i++) {
        crc ^= data[i];
        for (k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}
