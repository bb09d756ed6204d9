/*
 * The host runner (firmware/host/fqt_host.c) on a virtual board: its arguments (but --limit), its
 * training loop and its result file, with the files read and written on the host through
 * semihosting. fqt.board.Runner starts it; the board parity tests compare its result with Java's.
 *
 *   qemu-system-arm -M mps2-an386 -cpu cortex-m4 -nographic -monitor none -serial null \
 *     -icount shift=0,align=off,sleep=off -kernel firmware/build/mps2-an386/fqt-runner.elf \
 *     -semihosting-config enable=on,target=native,arg=fqt-runner,arg=MODEL.blob,arg=TRAIN.samples,arg=OUT.result[,arg=--eval,arg=TEST.samples]
 *
 * (paths without spaces or commas). Exit status as fqt_host: 0, 1 when the core failed (the result
 * file holds its status), 2 when the files could not be used. Last line on standard output, the
 * training's figures: time per phase in instructions (SysTick under -icount shift=0), summed over
 * the trained samples, and the executed MACs as Java's Context counts them:
 *
 *   fqt-runner cortex-m4f samples=N forward_instructions=F backward_instructions=B
 *   update_instructions=U selection_instructions=S forward_macs=MF backward_macs=MB
 */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "fqt_status.h"
#include "model_blob.h"
#include "semihost.h"
#include "timing.h"

/* RAM (4 MiB on both boards) split between the arena, the two blobs and the recorded run. */
#define ARENA_BYTES (1024u * 1024u)
#define BLOB_BYTES (256u * 1024u)
#define MAX_SAMPLES 4096u
#define MAX_SAMPLE_VALUES 16384u
#define MAX_SELECTION_WORDS (256u * 1024u)
#define CMDLINE_BYTES 1024u
#define MAX_ARGS 8

static union {
    int64_t align; /* ARENA.md: the arena is 8-aligned */
    uint8_t bytes[ARENA_BYTES];
} arena;

/* 4-aligned, as the blob loader wants. */
static uint32_t blob_words[BLOB_BYTES / 4u];
static uint32_t out_blob_words[BLOB_BYTES / 4u];

static fqt_model model;
static fqt_trainer trainer;

static uint32_t losses[MAX_SAMPLES];
static uint32_t predicted[MAX_SAMPLES];
static uint32_t eval[MAX_SAMPLES];
static uint32_t selections[MAX_SELECTION_WORDS];
static uint32_t n_selections;
static int selections_overflowed;

static float sample_buf[MAX_SAMPLE_VALUES];
static uint8_t out_buf[4096];
static uint32_t out_len;

static void fail(const char *what, const char *path)
{
    semihost_write0("fqt-runner: ");
    semihost_write0(what);
    semihost_write0(path);
    semihost_write0("\n");
    semihost_exit(2);
}

static void on_select(void *user, int32_t layer, const int32_t *sel, int32_t n_sel)
{
    (void)user;
    if (n_selections + 2u + (uint32_t)n_sel > MAX_SELECTION_WORDS) {
        selections_overflowed = 1;
        return;
    }
    selections[n_selections++] = (uint32_t)layer;
    selections[n_selections++] = (uint32_t)n_sel;
    for (int32_t k = 0; k < n_sel; k++) {
        selections[n_selections++] = (uint32_t)sel[k];
    }
}

static uint32_t u32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A samples file (format in fqt_host.c), read one sample at a time. */
typedef struct {
    int handle;
    int codes;
    uint32_t count, size;
} samples;

static samples open_samples(const char *path)
{
    samples s;
    uint8_t header[16];
    long len;
    s.handle = semihost_open(path, SEMIHOST_OPEN_RB);
    if (s.handle < 0 || (len = semihost_length(s.handle)) < 16 || semihost_read(s.handle, header, 16) != 0
        || memcmp(header, "FQTS", 4) != 0 || header[4] != 1 || header[5] != 0 || header[6] > 1) {
        fail("not a samples file (version 1): ", path);
    }
    s.codes = header[6] == 1;
    s.count = u32_at(header + 8);
    s.size = u32_at(header + 12);
    if (s.size > MAX_SAMPLE_VALUES || s.count > MAX_SAMPLES
        || (uint32_t)len != 16u + 4u * s.count + s.count * s.size * (s.codes ? 1u : 4u)) {
        fail("samples do not match the file size or the runner's limits: ", path);
    }
    return s;
}

static uint32_t label_of(const samples *s, uint32_t i)
{
    uint8_t b[4];
    if (semihost_seek(s->handle, 16u + 4u * i) != 0 || semihost_read(s->handle, b, 4) != 0) {
        fail("cannot read a label", "");
    }
    return u32_at(b);
}

/* Sample i into sample_buf: float values, or codes in its first bytes. */
static void read_sample(const samples *s, uint32_t i)
{
    uint32_t bytes = s->size * (s->codes ? 1u : 4u);
    if (semihost_seek(s->handle, 16u + 4u * s->count + i * bytes) != 0 || semihost_read(s->handle, sample_buf, bytes) != 0) {
        fail("cannot read a sample", "");
    }
}

static const float *floats(const samples *s)
{
    return s->codes ? NULL : sample_buf;
}

static const uint8_t *codes(const samples *s)
{
    return s->codes ? (const uint8_t *)sample_buf : NULL;
}

static void flush(int handle)
{
    if (semihost_write(handle, out_buf, out_len) != 0) {
        fail("cannot write the result", "");
    }
    out_len = 0;
}

static void put_bytes(int handle, const void *p, uint32_t n)
{
    const uint8_t *b = (const uint8_t *)p;
    for (uint32_t i = 0; i < n; i++) {
        if (out_len == sizeof out_buf) {
            flush(handle);
        }
        out_buf[out_len++] = b[i];
    }
}

static void put(int handle, uint32_t v)
{
    const uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put_bytes(handle, b, 4);
}

static void put_words(int handle, const uint32_t *v, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        put(handle, v[k]);
    }
}

static void write_u64(const char *name, uint64_t v)
{
    char buf[21];
    int i = 20;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    semihost_write0(" ");
    semihost_write0(name);
    semihost_write0("=");
    semihost_write0(&buf[i]);
}

/* Splits the command line at spaces, in place. */
static int split(char *line, char **argv)
{
    int argc = 0;
    for (char *p = line; *p != '\0' && argc < MAX_ARGS;) {
        while (*p == ' ') {
            *p++ = '\0';
        }
        if (*p == '\0') {
            break;
        }
        argv[argc++] = p;
        while (*p != '\0' && *p != ' ') {
            p++;
        }
    }
    return argc;
}

int main(void)
{
    static char line[CMDLINE_BYTES];
    char *argv[MAX_ARGS];
    const char *eval_path = NULL;
    samples train, test;
    size_t arena_used = 0, out_blob_len = 0;
    uint32_t n = 0, n_eval = 0, k;
    long blob_len;
    int argc, handle, status;

    board_init();
    if (semihost_cmdline(line, sizeof line) != 0 || (argc = split(line, argv)) < 4) {
        fail("usage: fqt-runner MODEL.blob TRAIN.samples OUT.result [--eval TEST.samples]", "");
    }
    for (int i = 4; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--eval") != 0) {
            fail("unknown option ", argv[i]);
        }
        eval_path = argv[i + 1];
    }
    handle = semihost_open(argv[1], SEMIHOST_OPEN_RB);
    if (handle < 0 || (blob_len = semihost_length(handle)) < 0 || (uint32_t)blob_len > BLOB_BYTES
        || semihost_read(handle, blob_words, (uint32_t)blob_len) != 0) {
        fail("cannot read a model blob of at most 256 KiB from ", argv[1]);
    }
    semihost_close(handle);
    train = open_samples(argv[2]);

    status = fqt_model_blob_load((const uint8_t *)blob_words, (size_t)blob_len, arena.bytes, sizeof arena.bytes, &model,
                                 &trainer, &arena_used);
    if (status == FQT_OK && (train.size != (uint32_t)model.input_size || (train.codes && model.features[0].q == NULL))) {
        status = FQT_ERR_INPUT;
    }
    trainer.ctx.on_select = on_select;
    trainer.ctx.clock = timing_instructions;
    for (k = 0; status == FQT_OK && k < train.count; k++) {
        float loss;
        int32_t pred;
        uint32_t label = label_of(&train, k);
        read_sample(&train, k);
        status = fqt_trainer_sample(&trainer, floats(&train), codes(&train), (int32_t)label, k == train.count - 1, &loss, &pred);
        if (status == FQT_OK) {
            memcpy(&losses[n], &loss, 4);
            predicted[n++] = (uint32_t)pred;
        }
    }
    if (selections_overflowed) {
        fail("more selections than the runner records", "");
    }
    if (status == FQT_OK && eval_path != NULL) {
        test = open_samples(eval_path);
        fqt_trainer_begin_evaluation(&trainer);
        for (k = 0; status == FQT_OK && k < test.count; k++) {
            int32_t pred;
            read_sample(&test, k);
            status = fqt_trainer_predict(&trainer, floats(&test), codes(&test), &pred);
            if (status == FQT_OK) {
                eval[n_eval++] = (uint32_t)pred;
            }
        }
    }
    if (status == FQT_OK) {
        if (fqt_model_blob_size(&model, &trainer) > BLOB_BYTES) {
            fail("the trained model's blob exceeds 256 KiB", "");
        }
        status = fqt_model_blob_write(&model, &trainer, (uint8_t *)out_blob_words, BLOB_BYTES, &out_blob_len);
    }

    handle = semihost_open(argv[3], SEMIHOST_OPEN_WB);
    if (handle < 0) {
        fail("cannot write ", argv[3]);
    }
    put_bytes(handle, "FQTR", 4);
    put(handle, 1);
    put(handle, (uint32_t)status);
    put(handle, (uint32_t)arena_used);
    put(handle, n);
    put_words(handle, losses, n);
    put_words(handle, predicted, n);
    put(handle, n_selections);
    put_words(handle, selections, n_selections);
    put(handle, n_eval);
    put_words(handle, eval, n_eval);
    put(handle, (uint32_t)out_blob_len);
    put_bytes(handle, out_blob_words, (uint32_t)out_blob_len);
    flush(handle);
    semihost_close(handle);

    semihost_write0("fqt-runner ");
    semihost_write0(board_core_name());
    write_u64("samples", n);
    write_u64("forward_instructions", trainer.forward_time);
    write_u64("backward_instructions", trainer.backward_time);
    write_u64("update_instructions", trainer.update_time);
    write_u64("selection_instructions", trainer.ctx.select_time);
    write_u64("forward_macs", (uint64_t)trainer.ctx.forward_macs);
    write_u64("backward_macs", (uint64_t)trainer.ctx.backward_macs);
    semihost_write0("\n");
    if (status != FQT_OK) {
        semihost_write0("fqt-runner: ");
        semihost_write0(fqt_status_name(status));
        semihost_write0("\n");
    }
    semihost_exit(status == FQT_OK ? 0 : 1);
}
