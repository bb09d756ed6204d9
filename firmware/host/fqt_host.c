/*
 * Host runner of the core (the parity tests' other side): loads a model blob, trains on a samples
 * file in its order, optionally evaluates, and writes a result file that Java writes the same way
 * for its own run, so the two compare byte for byte. I/O lives here, never in core/.
 *
 *   fqt_host MODEL.blob TRAIN.samples OUT.result [--eval TEST.samples] [--limit N]
 *
 * Samples file (little-endian; fqt.firmware.SampleFile writes it):
 *   "FQTS", u16 version 1, u8 kind (0 float32 values, 1 uint8 input codes), u8 0,
 *   u32 count, u32 size (values per sample), u32 labels[count], then count x size values.
 * Result file:
 *   "FQTR", u16 version 1, u16 0, i32 status, u32 arena bytes, u32 n trained samples,
 *   u32 loss bits[n], u32 predicted[n] (before the sample's update),
 *   u32 selection words, then per sample and updated layer: u32 layer, u32 k, u32 sel[k],
 *   u32 eval count, u32 eval predicted[count], u32 blob bytes, the final model blob.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fqt_status.h"
#include "model_blob.h"

#ifndef FQT_HOST_ARENA_BYTES
#define FQT_HOST_ARENA_BYTES (64L * 1024 * 1024)
#endif

static union {
    int64_t align; /* ARENA.md: the arena is 8-aligned */
    uint8_t bytes[FQT_HOST_ARENA_BYTES];
} arena;

static fqt_model model;
static fqt_trainer trainer;

typedef struct {
    uint32_t *v;
    size_t n, cap;
} words;

static void push(words *w, uint32_t x) {
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 1024;
        w->v = (uint32_t *) realloc(w->v, w->cap * sizeof *w->v);
        if (w->v == NULL) {
            fprintf(stderr, "fqt_host: out of memory\n");
            exit(2);
        }
    }
    w->v[w->n++] = x;
}

static void on_select(void *user, int32_t layer, const int32_t *sel, int32_t n_sel) {
    words *w = (words *) user;
    int32_t k;
    push(w, (uint32_t) layer);
    push(w, (uint32_t) n_sel);
    for (k = 0; k < n_sel; k++) push(w, (uint32_t) sel[k]);
}

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "fqt_host: cannot read %s\n", path);
        exit(2);
    }
    buf = (uint8_t *) malloc((size_t) n + 4); /* malloc is 8-aligned: the blob loader wants 4 */
    if (buf == NULL || fread(buf, 1, (size_t) n, f) != (size_t) n) {
        fprintf(stderr, "fqt_host: cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (size_t) n;
    return buf;
}

static uint32_t u32_at(const uint8_t *p) {
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

typedef struct {
    uint8_t *data;
    int codes;
    uint32_t count, size;
    const uint8_t *labels, *values;
} samples;

static samples read_samples(const char *path) {
    samples s;
    size_t len;
    s.data = read_file(path, &len);
    if (len < 16 || memcmp(s.data, "FQTS", 4) != 0 || s.data[4] != 1 || s.data[5] != 0 || s.data[6] > 1) {
        fprintf(stderr, "fqt_host: %s is not a samples file (version 1)\n", path);
        exit(2);
    }
    s.codes = s.data[6] == 1;
    s.count = u32_at(s.data + 8);
    s.size = u32_at(s.data + 12);
    if ((len - 16) / 4 < s.count || (len - 16 - 4 * (size_t) s.count) / (s.codes ? 1 : 4) / (s.size ? s.size : 1) != s.count) {
        fprintf(stderr, "fqt_host: %s: %u samples of %u values do not match its size\n", path, s.count, s.size);
        exit(2);
    }
    s.labels = s.data + 16;
    s.values = s.labels + 4 * (size_t) s.count;
    return s;
}

/* Sample i as float values (copied: the file's values need not be aligned) or as codes in place. */
static const float *sample_floats(const samples *s, uint32_t i, float *buf) {
    memcpy(buf, s->values + 4 * (size_t) i * s->size, 4 * (size_t) s->size);
    return buf;
}

static const uint8_t *sample_codes(const samples *s, uint32_t i) {
    return s->values + (size_t) i * s->size;
}

static void put(FILE *f, uint32_t v) {
    uint8_t b[4];
    b[0] = (uint8_t) v;
    b[1] = (uint8_t) (v >> 8);
    b[2] = (uint8_t) (v >> 16);
    b[3] = (uint8_t) (v >> 24);
    fwrite(b, 1, 4, f);
}

int main(int argc, char **argv) {
    const char *eval_path = NULL;
    long limit = -1;
    size_t blob_len, arena_used = 0, out_len = 0;
    uint8_t *blob, *out_blob = NULL;
    samples train, test;
    words losses = {0}, predicted = {0}, selections = {0}, eval = {0};
    float *x;
    FILE *f;
    int status, i;
    uint32_t n, k;
    if (argc < 4) {
        fprintf(stderr, "usage: fqt_host MODEL.blob TRAIN.samples OUT.result [--eval TEST.samples] [--limit N]\n");
        return 2;
    }
    for (i = 4; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--eval") == 0) eval_path = argv[i + 1];
        else if (strcmp(argv[i], "--limit") == 0) limit = atol(argv[i + 1]);
        else {
            fprintf(stderr, "fqt_host: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    blob = read_file(argv[1], &blob_len);
    train = read_samples(argv[2]);
    status = fqt_model_blob_load(blob, blob_len, arena.bytes, sizeof arena.bytes, &model, &trainer, &arena_used);
    if (status == FQT_OK && (train.size != (uint32_t) model.input_size || (train.codes && model.features[0].q == NULL))) {
        fprintf(stderr, "fqt_host: samples of %u values (%s) do not fit the model's %d inputs\n", train.size,
                train.codes ? "codes" : "floats", model.input_size);
        status = FQT_ERR_INPUT;
    }
    n = limit >= 0 && (uint32_t) limit < train.count ? (uint32_t) limit : train.count;
    x = (float *) malloc(4 * (size_t) (train.size ? train.size : 1));
    trainer.ctx.on_select = on_select;
    trainer.ctx.hook_user = &selections;
    for (k = 0; status == FQT_OK && k < n; k++) {
        float loss;
        int32_t pred;
        uint32_t label = u32_at(train.labels + 4 * (size_t) k);
        status = fqt_trainer_sample(&trainer, train.codes ? NULL : sample_floats(&train, k, x),
                                    train.codes ? sample_codes(&train, k) : NULL, (int32_t) label, k == n - 1, &loss, &pred);
        if (status == FQT_OK) {
            uint32_t bits;
            memcpy(&bits, &loss, 4);
            push(&losses, bits);
            push(&predicted, (uint32_t) pred);
        }
    }
    if (status == FQT_OK && eval_path != NULL) {
        test = read_samples(eval_path);
        x = (float *) realloc(x, 4 * (size_t) (test.size ? test.size : 1));
        fqt_trainer_begin_evaluation(&trainer);
        for (k = 0; status == FQT_OK && k < test.count; k++) {
            int32_t pred;
            status = fqt_trainer_predict(&trainer, test.codes ? NULL : sample_floats(&test, k, x),
                                         test.codes ? sample_codes(&test, k) : NULL, &pred);
            if (status == FQT_OK) push(&eval, (uint32_t) pred);
        }
    }
    if (status == FQT_OK) {
        size_t cap = fqt_model_blob_size(&model, &trainer);
        out_blob = (uint8_t *) malloc(cap);
        status = fqt_model_blob_write(&model, &trainer, out_blob, cap, &out_len);
    }
    f = fopen(argv[3], "wb");
    if (f == NULL) {
        fprintf(stderr, "fqt_host: cannot write %s\n", argv[3]);
        return 2;
    }
    fwrite("FQTR", 1, 4, f);
    put(f, 1);
    put(f, (uint32_t) status);
    put(f, (uint32_t) arena_used);
    put(f, (uint32_t) losses.n);
    for (k = 0; k < losses.n; k++) put(f, losses.v[k]);
    for (k = 0; k < predicted.n; k++) put(f, predicted.v[k]);
    put(f, (uint32_t) selections.n);
    for (k = 0; k < selections.n; k++) put(f, selections.v[k]);
    put(f, (uint32_t) eval.n);
    for (k = 0; k < eval.n; k++) put(f, eval.v[k]);
    put(f, (uint32_t) out_len);
    if (out_len > 0) fwrite(out_blob, 1, out_len, f);
    fclose(f);
    if (status != FQT_OK) fprintf(stderr, "fqt_host: %s (%d)\n", fqt_status_name(status), status);
    return status == FQT_OK ? 0 : 1;
}
