/* libFuzzer target "model_blob": fqt_model_blob_load (firmware/core/model_blob.c) on arbitrary
 * bytes, which must answer a status code and never fault. The loader's first checks (the size
 * field, the CRC-32) reject nearly every mutation, so each input is loaded twice: as it is, and
 * with those two made right, which reaches the checks behind them. A blob the loader accepts then
 * trains one sample and writes itself back, so what it let through is exercised too. The blob sits
 * in a buffer of exactly its size (AddressSanitizer sees any read past it), 16-aligned where the
 * loader wants 4. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "fqt_status.h"
#include "model_blob.h"

/* Small enough that an accepted model trains a sample in milliseconds. */
#define FUZZ_ARENA_BYTES (256u * 1024u)
/* Where the blob holds its total size (firmware/BLOB.md). */
#define TOTAL_BYTES_OFFSET 8u

static union {
    int64_t align; /* ARENA.md: the arena is 8-aligned */
    uint8_t bytes[FUZZ_ARENA_BYTES];
} arena;

static fqt_model model;
static fqt_trainer trainer;

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void load(const uint8_t *data, size_t size, int make_size_and_crc_right)
{
    uint8_t *blob = malloc(size > 0u ? size : 1u);
    if (blob == NULL) {
        return;
    }
    memcpy(blob, data, size);
    if (make_size_and_crc_right) {
        put_u32(blob + TOTAL_BYTES_OFFSET, (uint32_t)size);
        put_u32(blob + size - 4u, fqt_crc32_update(0, blob, size - 4u));
    }
    size_t used = 0;
    if (fqt_model_blob_load(blob, size, arena.bytes, sizeof arena.bytes, &model, &trainer, &used) == FQT_OK) {
        float *input = calloc((size_t)model.input_size, sizeof *input);
        float loss;
        int32_t predicted;
        if (input != NULL && fqt_trainer_sample(&trainer, input, NULL, 0, 1, &loss, &predicted) == FQT_OK) {
            size_t cap = fqt_model_blob_size(&model, &trainer);
            uint8_t *out = malloc(cap);
            size_t len;
            if (out != NULL) {
                fqt_model_blob_write(&model, &trainer, out, cap, &len);
            }
            free(out);
        }
        free(input);
    }
    free(blob);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load(data, size, 0);
    size_t whole_words = size & ~(size_t)3u; /* the loader wants a size in whole 4-byte words */
    if (whole_words >= TOTAL_BYTES_OFFSET + 8u) {
        load(data, whole_words, 1);
    }
    return 0;
}
