/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the same as Java's java.util.zip.CRC32. */
#ifndef FQT_CRC32_H
#define FQT_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continues crc (0 for a fresh start) over n bytes. */
uint32_t fqt_crc32_update(uint32_t crc, const uint8_t *data, size_t n);

#endif
