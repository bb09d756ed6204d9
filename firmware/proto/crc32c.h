/* CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF;
 * the CRC of the ASCII bytes "123456789" is 0xE3069283. Why: a random garble slips through once in
 * 2^32 (CRC-16: once in 65536); every error of up to 5 bits is caught in frames of up to 655 bytes
 * (acks, sample results; the core's CRC-32 only up to 4 bits there), of up to 3 bits in a full
 * 4 KiB frame, and every burst of up to 32 bits (Koopman's CRC tables). Mirrored by
 * fqt.wire.Crc32c, equal to java.util.zip.CRC32C. */
#ifndef PROTO_CRC32C_H
#define PROTO_CRC32C_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_CRC32C_CHECK 0xE3069283u

/* Continues crc (0 for a fresh start) over n bytes. */
uint32_t proto_crc32c(uint32_t crc, const uint8_t *data, size_t n);

#endif
