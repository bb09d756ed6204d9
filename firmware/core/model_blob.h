/*
 * The model blob (firmware/BLOB.md): a versioned little-endian image of a model and its training
 * settings, written by fqt.wire.ModelBlob. The loader checks all of it (magic, version, sizes,
 * bounds, CRC-32, every setting, shape and parameter) before it touches the arena, and answers a
 * bad blob with a status code. Parameters the arena does not hold (frozen weights, constants) are
 * used in place, so the blob must stay where it is (Flash) while the model trains, 4-aligned.
 */
#ifndef FQT_MODEL_BLOB_H
#define FQT_MODEL_BLOB_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"
#include "train.h"

#define FQT_MODEL_BLOB_VERSION 3
#define FQT_MODEL_BLOB_HEADER_BYTES 16
/* Largest tensor or weight count, in elements: keeps every index of the kernels inside int32. */
#define FQT_MODEL_BLOB_MAX_ELEMENTS (1L << 24)

/*
 * Validates blob[0..len) completely, then lays out the arena (at most arena_bytes, 8-aligned) and
 * loads the model and its training settings into m and t. *arena_used gets the arena size the
 * model needs, also on FQT_ERR_ARENA (arena NULL only measures); 0 when the blob was rejected.
 */
int fqt_model_blob_load(const uint8_t *blob, size_t len, uint8_t *arena, size_t arena_bytes, fqt_model *m,
                        fqt_trainer *t, size_t *arena_used);
/* Bytes of the blob of the model's current state. */
size_t fqt_model_blob_size(const fqt_model *m, const fqt_trainer *t);
/* Writes the model's current state with the run's settings (as fqt.wire.ModelBlob.write does for a Java model). */
int fqt_model_blob_write(const fqt_model *m, const fqt_trainer *t, uint8_t *out, size_t cap, size_t *len);
/*
 * Checks a restored training state (a checkpoint written over the arena) for what training can
 * produce: a non-zero random state, the batch position and per-layer sample counts in range,
 * finite weights, biases, gradients and optimizer state, valid quantization parameters and
 * ranges. A CRC proves only that the bytes arrived as sent.
 */
int fqt_model_blob_check_state(const fqt_model *m, const fqt_trainer *t);

#endif
