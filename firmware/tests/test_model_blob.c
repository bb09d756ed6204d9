/*
 * model_blob.c against blobs written by fqt.wire.ModelBlob: the arena size equals the Java memory
 * plan, load then write gives the same bytes, and damaged blobs (every truncation, every byte
 * flipped, every byte changed with the CRC fixed up) are answered with a status, never a fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "fqt_status.h"
#include "golden.h"
#include "model_blob.h"

/* Allocated per case, not static, so that the golden image of a board with less RAM
 * (port/mps2/microbit.ld) links: the model, its trainer and an arena with room for the blobs the
 * mutations make larger (malloc's blocks are 8-aligned, as ARENA.md wants). */
#define ARENA_BYTES (1u << 20)
static uint8_t *arena;
static fqt_model *model;
static fqt_trainer *trainer;

static int load(const uint8_t *blob, size_t len, size_t *used) {
    return fqt_model_blob_load(blob, len, arena, ARENA_BYTES, model, trainer, used);
}

static void fix_crc(uint8_t *blob, size_t len) {
    uint32_t crc = fqt_crc32_update(0, blob, len - 4);
    blob[len - 4] = (uint8_t) crc;
    blob[len - 3] = (uint8_t) (crc >> 8);
    blob[len - 2] = (uint8_t) (crc >> 16);
    blob[len - 1] = (uint8_t) (crc >> 24);
}

/* One training sample on a mid-grey input: whatever a valid blob holds, it must not fault. */
static void train_one(void) {
    float input[64];
    float loss;
    int32_t predicted, i;
    for (i = 0; i < model->input_size && i < 64; i++) input[i] = 0.5f;
    (void) fqt_trainer_sample(trainer, input, NULL, 0, 1, &loss, &predicted);
}

void test_model_blob(golden_case *c) {
    size_t len, used, out_len, i;
    uint8_t *blob = (uint8_t *) golden_array(c, "blob.u8", 1, &len);
    uint8_t *copy = (uint8_t *) malloc(len + 8), *out = (uint8_t *) malloc(len);
    char what[160];
    int status, accepted = 0;
    static const uint8_t values[] = {0x00, 0x01, 0x7F, 0x80, 0xFF};
    size_t v;
    arena = (uint8_t *) malloc(ARENA_BYTES);
    model = (fqt_model *) malloc(sizeof *model);
    trainer = (fqt_trainer *) malloc(sizeof *trainer);
    status = load(blob, len, &used);
    if (status != FQT_OK) {
        snprintf(what, sizeof what, "load: %s (%d)", fqt_status_name(status), status);
        golden_fail(c, what);
        free(blob);
        free(copy);
        free(out);
        free(arena);
        free(model);
        free(trainer);
        return;
    }
    golden_expect_int(c, "arena bytes (Java memory plan)", golden_int(c, "arena_bytes"), (int64_t) used);
    golden_expect_int(c, "write", FQT_OK, fqt_model_blob_write(model, trainer, out, len, &out_len));
    golden_expect(c, "blob.u8", out, out_len, 1);
    golden_expect_int(c, "arena one byte short", FQT_ERR_ARENA,
                      fqt_model_blob_load(blob, len, arena, used - 1, model, trainer, &used));
    memcpy(copy + 1, blob, len);
    golden_expect_int(c, "misaligned blob", FQT_ERR_INPUT, load(copy + 1, len, &used));
    for (i = 0; i < len; i++) {
        if (load(blob, i, &used) == FQT_OK) golden_fail(c, "a truncated blob loaded");
    }
    for (i = 0; i < len; i++) {
        memcpy(copy, blob, len);
        copy[i] ^= 0x5A;
        if (load(copy, len, &used) == FQT_OK) {
            snprintf(what, sizeof what, "a blob with byte %lu changed loaded despite its CRC", (unsigned long) i);
            golden_fail(c, what);
        }
    }
    /* The gradients byte (BLOB.md offset 73): IN_PLACE needs batch 1 (offset 28). */
    if (blob[28] != 1 || blob[29] != 0 || blob[30] != 0 || blob[31] != 0) {
        memcpy(copy, blob, len);
        copy[73] = FQT_GRADIENTS_IN_PLACE;
        fix_crc(copy, len);
        golden_expect_int(c, "IN_PLACE gradients at a batch above 1", FQT_ERR_CONFIG, load(copy, len, &used));
    }
    /* Past the CRC: every field's bounds. Accepted changes (weights, biases, ...) must still train. */
    for (i = 0; i + 4 < len; i++) {
        for (v = 0; v < sizeof values; v++) {
            memcpy(copy, blob, len);
            if (copy[i] == values[v]) continue;
            copy[i] = values[v];
            fix_crc(copy, len);
            if (load(copy, len, &used) == FQT_OK) {
                accepted++;
                train_one();
            }
        }
    }
    if (accepted == 0) golden_fail(c, "no changed blob was accepted: the mutation test reached no training");
    golden_expect_int(c, "reload", FQT_OK, load(blob, len, &used));
    free(blob);
    free(copy);
    free(out);
    free(arena);
    free(model);
    free(trainer);
}
