/* The C side of the protocol on the host: the shared vectors (testdata/wire/vectors.txt, written
 * by fqt.wire.WireVectors; fqt.wire.WireVectorsTest checks Java against the same bytes), COBS round
 * trips, the frame reader and the board session (NAK, exactly-once answers to resent requests).
 *
 *   proto_test VECTORS_FILE
 *
 * Prints each failure with its first mismatch, then "N passed, N failed"; exits 1 on a failure. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cobs.h"
#include "crc32c.h"
#include "frame.h"
#include "messages.h"
#include "session.h"

#define LINE_MAX_CHARS 20000
#define BYTES_MAX 9000
#define TEXT_MAX 10000
#define VALUES_MAX 8

static int passed;
static int failed;

static void check(int ok, const char *what, const char *fmt, ...)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s: ", what);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

/* ---- the vectors file ---- */

typedef struct {
    char kind[32];
    char name[96];
    char keys[VALUES_MAX][16];
    char *values[VALUES_MAX];
    int n_values;
    char fields[TEXT_MAX]; /* the field lines, each ending in \n */
} block;

static char *copy_of(const char *s)
{
    char *c = malloc(strlen(s) + 1u);
    if (c == NULL) {
        fprintf(stderr, "proto_test: out of memory\n");
        exit(2);
    }
    strcpy(c, s);
    return c;
}

static const char *get(const block *b, const char *key)
{
    for (int i = 0; i < b->n_values; i++) {
        if (strcmp(b->keys[i], key) == 0) {
            return b->values[i];
        }
    }
    fprintf(stderr, "proto_test: %s %s has no '%s'\n", b->kind, b->name, key);
    exit(2);
}

static long num(const block *b, const char *key)
{
    return strtol(get(b, key), NULL, 10);
}

/* Hex (or "-") into out; returns the byte count. */
static size_t unhex(const char *s, uint8_t *out)
{
    if (strcmp(s, "-") == 0) {
        return 0;
    }
    size_t n = strlen(s) / 2u;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(s + 2u * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
    return n;
}

/* Appends printf output to a text buffer. */
typedef struct {
    char s[TEXT_MAX];
    size_t len;
} text;

static void say(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->s + t->len, sizeof t->s - t->len, fmt, ap);
    va_end(ap);
    if (n > 0) {
        t->len += (size_t)n;
        if (t->len >= sizeof t->s) {
            t->len = sizeof t->s - 1u;
        }
    }
}

static void say_hex(text *t, const uint8_t *p, uint32_t n)
{
    if (n == 0u) {
        say(t, "-");
    }
    for (uint32_t i = 0; i < n; i++) {
        say(t, "%02x", p[i]);
    }
}

static void say_bytes(text *t, const char *name, proto_bytes b)
{
    say(t, "%s ", name);
    say_hex(t, b.data, b.len);
    say(t, "\n");
}

static uint32_t bits_of(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4u);
    return u;
}

/* The field lines of fqt.wire.WireFields for one sample result; prefix names its place. */
static void say_result(text *t, const char *prefix, const proto_sample_result *r)
{
    say(t, "%ssample %lu\n", prefix, (unsigned long)r->sample);
    say(t, "%sloss 0x%08lx\n", prefix, (unsigned long)bits_of(r->loss));
    say(t, "%spredicted %ld\n", prefix, (long)r->predicted);
    say(t, "%sticks %lu,%lu,%lu,%lu\n", prefix, (unsigned long)r->ticks[0], (unsigned long)r->ticks[1],
        (unsigned long)r->ticks[2], (unsigned long)r->ticks[3]);
    say(t, "%supdated_fraction 0x%08lx\n", prefix, (unsigned long)bits_of(r->updated_fraction));
}

/* Decodes a payload by its frame's type and status (as WireFields.decode does), writes its field
 * lines to t and its re-encoding to out. Returns PROTO_OK or PROTO_ERR_BAD_PAYLOAD. */
static int payload_fields(uint8_t type, uint8_t status, const uint8_t *p, uint32_t len, text *t, uint8_t *out,
                          uint32_t *out_len)
{
    static int32_t labels[PROTO_MAX_PAYLOAD];
    static uint8_t inputs[PROTO_MAX_PAYLOAD];
    static proto_sample_result results[PROTO_MAX_PAYLOAD / PROTO_SAMPLE_RESULT_BYTES];
    static int32_t predicted[PROTO_MAX_PAYLOAD / 4u];
    static uint32_t selections[PROTO_MAX_PAYLOAD / 4u];
    int response = (type & PROTO_RESPONSE_BIT) != 0u;
    uint8_t request = (uint8_t)(type & ~PROTO_RESPONSE_BIT);
    int st;
    *out_len = 0;
    if (response && status != PROTO_OK) {
        int32_t detail;
        if ((st = proto_detail_decode(p, len, &detail)) == PROTO_OK) {
            say(t, "detail %ld\n", (long)detail);
            *out_len = proto_detail_encode(detail, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (request == PROTO_ECHO) {
        say(t, "data ");
        say_hex(t, p, len);
        say(t, "\n");
        memcpy(out, p, len);
        *out_len = len;
        return PROTO_OK;
    }
    if (response && request == PROTO_HELLO) {
        proto_hello m;
        if ((st = proto_hello_decode(p, len, &m)) == PROTO_OK) {
            say(t, "version %u\nmax_payload %u\n", m.version, m.max_payload);
            *out_len = proto_hello_encode(&m, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (response && request == PROTO_INFO) {
        proto_info m;
        if ((st = proto_info_decode(p, len, &m)) == PROTO_OK) {
            say(t, "clock_hz %lu\nram_bytes %lu\n", (unsigned long)m.clock_hz, (unsigned long)m.ram_bytes);
            say(t, "core %.*s\nfirmware_version %.*s\n", (int)m.core.len, (const char *)m.core.data,
                (int)m.firmware_version.len, (const char *)m.firmware_version.data);
            say_bytes(t, "build_id", m.build_id);
            say(t, "arena_capacity %lu\nblob_capacity %lu\nboard %.*s\nstack_used %lu\n", (unsigned long)m.arena_capacity,
                (unsigned long)m.blob_capacity, (int)m.board.len, (const char *)m.board.data, (unsigned long)m.stack_used);
            *out_len = proto_info_encode(&m, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (!response && (request == PROTO_LOAD_MODEL || request == PROTO_WRITE_STATE || request == PROTO_STAGE_INPUT)) {
        proto_load_model m;
        if ((st = proto_load_model_decode(p, len, &m)) == PROTO_OK) {
            say(t, "total_bytes %lu\noffset %lu\n", (unsigned long)m.total_bytes, (unsigned long)m.offset);
            say_bytes(t, "data", m.data);
            *out_len = proto_load_model_encode(&m, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (response && (request == PROTO_LOAD_MODEL || request == PROTO_WRITE_STATE || request == PROTO_STAGE_INPUT)) {
        proto_load_ack m;
        if ((st = proto_load_ack_decode(p, len, &m)) == PROTO_OK) {
            say(t, "received_bytes %lu\ncapacity_bytes %lu\narena_bytes %lu\n", (unsigned long)m.received_bytes,
                (unsigned long)m.capacity_bytes, (unsigned long)m.arena_bytes);
            *out_len = proto_load_ack_encode(&m, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (!response && request == PROTO_CONFIGURE) {
        proto_configure m;
        if ((st = proto_configure_decode(p, len, &m)) == PROTO_OK) {
            say(t, "input_format %u\nnext_sample %lu\n", m.input_format, (unsigned long)m.next_sample);
            *out_len = proto_configure_encode(&m, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (!response && (request == PROTO_TRAIN_SAMPLE || request == PROTO_TRAIN_STAGED)) {
        proto_train_sample m;
        if ((st = proto_train_sample_decode(p, len, &m)) == PROTO_OK) {
            say(t, "flags %u\nlabel %ld\n", m.flags, (long)m.label);
            say_bytes(t, "input", m.input);
            *out_len = proto_train_sample_encode(&m, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (response && request == PROTO_TRAIN_SAMPLE) {
        proto_sample_result m;
        if ((st = proto_sample_result_decode(p, len, &m)) == PROTO_OK) {
            say_result(t, "", &m);
            *out_len = proto_sample_result_encode(&m, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (!response && (request == PROTO_TRAIN_BATCH || request == PROTO_EVALUATE)) {
        proto_samples m;
        if ((st = proto_samples_decode(p, len, &m)) == PROTO_OK) {
            say(t, "flags %u\ninput_bytes %u\nlabels ", m.flags, m.input_bytes);
            for (uint16_t i = 0; i < m.count; i++) {
                const uint8_t *input;
                proto_samples_at(&m, i, &labels[i], &input);
                memcpy(inputs + (uint32_t)i * m.input_bytes, input, m.input_bytes);
                say(t, i == 0u ? "%ld" : ",%ld", (long)labels[i]);
            }
            say(t, "\ninputs ");
            for (uint16_t i = 0; i < m.count; i++) {
                say(t, i == 0u ? "" : ",");
                say_hex(t, inputs + (uint32_t)i * m.input_bytes, m.input_bytes);
            }
            say(t, "\n");
            *out_len = proto_samples_encode(m.flags, m.count, m.input_bytes, labels, inputs, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (response && (request == PROTO_TRAIN_BATCH || request == PROTO_TRAIN_STAGED)) {
        proto_results m;
        if ((st = proto_results_decode(p, len, &m)) == PROTO_OK) {
            for (uint16_t i = 0; i < m.count; i++) {
                char prefix[32];
                snprintf(prefix, sizeof prefix, "results[%u].", i);
                proto_results_at(&m, i, &results[i]);
                say_result(t, prefix, &results[i]);
            }
            *out_len = proto_results_encode(results, m.count, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (response && (request == PROTO_EVALUATE || request == PROTO_EVALUATE_STAGED)) {
        proto_predictions m;
        if ((st = proto_predictions_decode(p, len, &m)) == PROTO_OK) {
            say(t, "predicted ");
            for (uint16_t i = 0; i < m.count; i++) {
                predicted[i] = proto_predictions_at(&m, i);
                say(t, i == 0u ? "%ld" : ",%ld", (long)predicted[i]);
            }
            say(t, m.count == 0u ? "-\n" : "\n");
            *out_len = proto_predictions_encode(predicted, m.count, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (!response && request == PROTO_EVALUATE_STAGED) {
        proto_evaluate_staged m;
        if ((st = proto_evaluate_staged_decode(p, len, &m)) == PROTO_OK) {
            say(t, "flags %u\n", m.flags);
            *out_len = proto_evaluate_staged_encode(&m, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (!response && (request == PROTO_READ_WEIGHTS || request == PROTO_READ_STATE)) {
        proto_read_weights m;
        if ((st = proto_read_weights_decode(p, len, &m)) == PROTO_OK) {
            say(t, "offset %lu\nmax_bytes %u\n", (unsigned long)m.offset, m.max_bytes);
            *out_len = proto_read_weights_encode(&m, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (response && (request == PROTO_READ_WEIGHTS || request == PROTO_READ_STATE)) {
        proto_weights_chunk m;
        if ((st = proto_weights_chunk_decode(p, len, &m)) == PROTO_OK) {
            say(t, "total_bytes %lu\noffset %lu\n", (unsigned long)m.total_bytes, (unsigned long)m.offset);
            say_bytes(t, "data", m.data);
            *out_len = proto_weights_chunk_encode(&m, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    if (response && request == PROTO_READ_STATS) {
        proto_stats m;
        if ((st = proto_stats_decode(p, len, &m)) == PROTO_OK) {
            say(t, "time_unit %u\nsamples %lu\narena_bytes %lu\narena_high_water_bytes %lu\n", m.time_unit,
                (unsigned long)m.samples, (unsigned long)m.arena_bytes, (unsigned long)m.arena_high_water_bytes);
            say(t, "ticks %llu,%llu,%llu,%llu\nselections ", (unsigned long long)m.ticks[0],
                (unsigned long long)m.ticks[1], (unsigned long long)m.ticks[2], (unsigned long long)m.ticks[3]);
            for (uint16_t i = 0; i < m.layers; i++) {
                selections[i] = proto_stats_selection_at(&m, i);
                say(t, i == 0u ? "%lu" : ",%lu", (unsigned long)selections[i]);
            }
            say(t, m.layers == 0u ? "-\n" : "\n");
            *out_len = proto_stats_encode(&m, selections, out, PROTO_MAX_PAYLOAD);
        }
        return st;
    }
    /* The messages without payload. */
    return len == 0u ? PROTO_OK : PROTO_ERR_BAD_PAYLOAD;
}

/* Where two strings first differ, for the failure message. */
static size_t first_difference(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] != '\0' && a[i] == b[i]) {
        i++;
    }
    return i;
}

static void check_block(const block *b)
{
    static uint8_t data[BYTES_MAX];
    static uint8_t expected[BYTES_MAX];
    static uint8_t got[BYTES_MAX];
    static text t;
    char what[160];
    snprintf(what, sizeof what, "%s %s", b->kind, b->name);
    if (strcmp(b->kind, "crc32c") == 0) {
        size_t n = unhex(get(b, "data"), data);
        unsigned long want = strtoul(get(b, "crc"), NULL, 16);
        uint32_t crc = proto_crc32c(0, data, n);
        check(crc == want, what, "crc %08lx, vector %08lx", (unsigned long)crc, want);
    } else if (strcmp(b->kind, "cobs") == 0) {
        size_t n = unhex(get(b, "data"), data);
        size_t m = unhex(get(b, "encoded"), expected);
        proto_cobs_result r = proto_cobs_encode(got, sizeof got, data, n);
        check(r.status == PROTO_COBS_OK && r.out_len == m && memcmp(got, expected, m) == 0, what,
              "encode: status %d, %zu bytes, vector %zu", r.status, r.out_len, m);
        check(r.out_len <= PROTO_COBS_ENCODED_MAX(n), what, "encoded %zu bytes, more than the maximum", r.out_len);
        r = proto_cobs_decode(got, sizeof got, expected, m);
        check(r.status == PROTO_COBS_OK && r.out_len == n && memcmp(got, data, n) == 0, what,
              "decode: status %d, %zu bytes, vector %zu", r.status, r.out_len, n);
    } else if (strcmp(b->kind, "frame") == 0) {
        size_t n = unhex(get(b, "payload"), data);
        size_t w = unhex(get(b, "wire"), expected);
        static uint8_t body[PROTO_BODY_BYTES(PROTO_MAX_PAYLOAD)];
        memcpy(body + PROTO_HEADER_BYTES, data, n);
        size_t len = proto_frame_encode(body, (uint8_t)num(b, "type"), (uint8_t)num(b, "status"), (uint16_t)num(b, "seq"),
                                        (uint16_t)n, got, sizeof got);
        size_t at = 0;
        while (at < len && at < w && got[at] == expected[at]) {
            at++;
        }
        check(len == w && at == w, what, "encode: %zu bytes, vector %zu, first difference at byte %zu", len, w, at);
        proto_frame f;
        proto_frame_status st = proto_frame_decode(expected, w - PROTO_DELIMITER_BYTES, &f);
        check(st == PROTO_FRAME_OK && f.type == num(b, "type") && f.status == num(b, "status") && f.seq == num(b, "seq")
                  && f.len == n && memcmp(f.payload, data, n) == 0,
              what, "decode: %s, type %u, status %u, seq %u, %u bytes", proto_frame_status_name(st), f.type, f.status,
              f.seq, f.len);
        t.len = 0;
        t.s[0] = '\0';
        uint32_t re_len;
        int pst = payload_fields(f.type, f.status, f.payload, f.len, &t, got, &re_len);
        at = first_difference(t.s, b->fields);
        check(pst == PROTO_OK && strcmp(t.s, b->fields) == 0, what, "fields differ at char %zu:\nC:      %.60s\nvector: %.60s",
              at, t.s + at, b->fields + at);
        check(re_len == n && memcmp(got, data, n) == 0, what, "re-encoded payload: %lu bytes, vector %zu",
              (unsigned long)re_len, n);
    } else if (strcmp(b->kind, "bad_frame") == 0) {
        size_t w = unhex(get(b, "wire"), expected);
        proto_frame f;
        const char *st = proto_frame_status_name(proto_frame_decode(expected, w - PROTO_DELIMITER_BYTES, &f));
        check(strcmp(st, get(b, "error")) == 0, what, "decode says %s, vector %s", st, get(b, "error"));
    } else if (strcmp(b->kind, "bad_payload") == 0) {
        size_t n = unhex(get(b, "payload"), data);
        uint32_t re_len;
        t.len = 0;
        int st = payload_fields((uint8_t)num(b, "type"), (uint8_t)num(b, "status"), data, (uint32_t)n, &t, got, &re_len);
        check(st == PROTO_ERR_BAD_PAYLOAD && strcmp(get(b, "error"), "payload") == 0, what, "decoded as %d", st);
    } else {
        check(0, what, "unknown kind");
    }
}

static int run_vectors(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "proto_test: cannot open %s\n", path);
        return 0;
    }
    static char line[LINE_MAX_CHARS];
    static block b;
    int open = 0, blocks = 0;
    for (;;) {
        char *got = fgets(line, sizeof line, f);
        if (got != NULL) {
            line[strcspn(line, "\n")] = '\0';
        }
        if (got == NULL || line[0] == '\0') {
            if (open) {
                check_block(&b);
                blocks++;
                for (int i = 0; i < b.n_values; i++) {
                    free(b.values[i]);
                }
            }
            open = 0;
            if (got == NULL) {
                break;
            }
            continue;
        }
        if (line[0] == '#') {
            continue;
        }
        char *space = strchr(line, ' ');
        if (space == NULL) {
            fprintf(stderr, "proto_test: bad line in %s: %.40s\n", path, line);
            exit(2);
        }
        *space = '\0';
        if (!open) {
            snprintf(b.kind, sizeof b.kind, "%.31s", line);
            snprintf(b.name, sizeof b.name, "%.95s", space + 1);
            b.n_values = 0;
            b.fields[0] = '\0';
            open = 1;
        } else if (strcmp(line, "field") == 0) {
            strncat(b.fields, space + 1, sizeof b.fields - strlen(b.fields) - 2u);
            strcat(b.fields, "\n");
        } else if (b.n_values < VALUES_MAX) {
            snprintf(b.keys[b.n_values], sizeof b.keys[0], "%.15s", line);
            b.values[b.n_values++] = copy_of(space + 1);
        }
    }
    fclose(f);
    return blocks;
}

/* ---- unit tests beyond the vectors ---- */

static uint32_t rng = 12345u;

static uint32_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Random blocks with few or many zeros: encode, decode, compare; the size bound holds. */
static void cobs_round_trips(void)
{
    static uint8_t data[1200], enc[1300], dec[1200];
    int ok = 1, trial;
    size_t n = 0;
    uint32_t zero_every = 0;
    for (trial = 0; trial < 2000 && ok; trial++) {
        n = next_random() % sizeof data;
        zero_every = 1u + next_random() % 600u;
        for (size_t i = 0; i < n; i++) {
            data[i] = next_random() % zero_every == 0u ? 0u : (uint8_t)(1u + next_random() % 255u);
        }
        proto_cobs_result e = proto_cobs_encode(enc, sizeof enc, data, n);
        ok = e.status == PROTO_COBS_OK && e.out_len <= PROTO_COBS_ENCODED_MAX(n) && memchr(enc, 0, e.out_len) == NULL;
        proto_cobs_result d = proto_cobs_decode(dec, sizeof dec, enc, e.out_len);
        ok = ok && d.status == PROTO_COBS_OK && d.out_len == n && memcmp(dec, data, n) == 0;
        /* In place, as the frame decoder does it. */
        d = proto_cobs_decode(enc, e.out_len, enc, e.out_len);
        ok = ok && d.status == PROTO_COBS_OK && d.out_len == n && memcmp(enc, data, n) == 0;
    }
    check(ok, "cobs: 2000 random round trips", "trial %d, %zu bytes, a zero every %lu", trial - 1, n,
          (unsigned long)zero_every);
    proto_cobs_result r = proto_cobs_encode(enc, 3, data, 10);
    check(r.status == PROTO_COBS_OUT_FULL, "cobs encode into a small buffer", "status %d", r.status);
}

/* Frames split across pushes, empty frames, an overflow. */
static void reader(void)
{
    uint8_t buf[16];
    proto_rx rx;
    proto_rx_init(&rx, buf, sizeof buf);
    const uint8_t line[] = {0, 0, 3, 1, 2, 0, 0, 2, 9, 0};
    int frames = 0;
    size_t lens[sizeof line] = {0};
    for (size_t i = 0; i < sizeof line; i++) {
        if (proto_rx_push(&rx, line[i]) == PROTO_RX_FRAME) {
            lens[frames++] = rx.len;
        }
    }
    check(frames == 2 && lens[0] == 3 && lens[1] == 2, "reader: two frames among empty ones", "%d frames", frames);
    proto_rx_event ev = PROTO_RX_MORE;
    for (int i = 0; i < 20; i++) {
        ev = proto_rx_push(&rx, 7);
    }
    ev = proto_rx_push(&rx, 0);
    check(ev == PROTO_RX_OVERFLOW, "reader: overflow", "event %d", ev);
    proto_rx_push(&rx, 1);
    ev = proto_rx_push(&rx, 0);
    check(ev == PROTO_RX_FRAME && rx.len == 1, "reader: a frame after an overflow", "event %d, %zu bytes", ev, rx.len);
}

static proto_session session;
static int executed;

/* Feeds wire bytes to the session, running ECHO requests; the last bytes to send land in sent. */
static int feed(const uint8_t *wire, size_t n, uint8_t *sent, size_t *sent_len)
{
    int sends = 0;
    for (size_t i = 0; i < n; i++) {
        proto_frame req;
        proto_session_event ev = proto_session_push(&session, wire[i], &req);
        if (ev == PROTO_SESSION_REQUEST) {
            executed++;
            memcpy(proto_session_payload(&session), req.payload, req.len);
            proto_session_respond(&session, &req, PROTO_OK, req.len);
            ev = PROTO_SESSION_SEND;
        }
        if (ev == PROTO_SESSION_SEND) {
            const uint8_t *out = proto_session_out(&session, sent_len);
            memcpy(sent, out, *sent_len);
            sends++;
        }
    }
    return sends;
}

static size_t request(uint8_t type, uint16_t seq, const uint8_t *payload, uint16_t len, uint8_t *wire, size_t cap)
{
    static uint8_t body[PROTO_BODY_BYTES(PROTO_MAX_PAYLOAD)];
    memcpy(body + PROTO_HEADER_BYTES, payload, len);
    return proto_frame_encode(body, type, 0, seq, len, wire, cap);
}

static void session_answers(void)
{
    static uint8_t wire[PROTO_WIRE_BYTES(PROTO_MAX_PAYLOAD)], sent[PROTO_WIRE_BYTES(PROTO_MAX_PAYLOAD)],
        first[PROTO_WIRE_BYTES(PROTO_MAX_PAYLOAD)];
    size_t sent_len, first_len;
    proto_frame f;
    proto_session_init(&session);
    executed = 0;
    const uint8_t hi[] = {'h', 'i'};
    size_t n = request(PROTO_ECHO, 7, hi, 2, wire, sizeof wire);
    int sends = feed(wire, n, first, &first_len);
    check(sends == 1 && executed == 1, "session: a request is run and answered", "%d sends, %d runs", sends, executed);
    memcpy(sent, first, first_len); /* decoding works in place: keep first as sent */
    int st = proto_frame_decode(sent, first_len - PROTO_DELIMITER_BYTES, &f);
    check(st == PROTO_FRAME_OK && f.type == (PROTO_ECHO | PROTO_RESPONSE_BIT) && f.seq == 7 && f.len == 2, "session: response header",
          "%s, type %u, seq %u", proto_frame_status_name((proto_frame_status)st), f.type, f.seq);

    /* The same request again (the host missed the answer): the same bytes back, not run again. */
    sends = feed(wire, n, sent, &sent_len);
    check(sends == 1 && executed == 1 && sent_len == first_len && memcmp(sent, first, first_len) == 0,
          "session: a resent request is answered again, not run again", "%d sends, %d runs", sends, executed);

    /* Same seq, other bytes: a new request (a new session reusing the number), run. */
    const uint8_t ho[] = {'h', 'o'};
    n = request(PROTO_ECHO, 7, ho, 2, wire, sizeof wire);
    feed(wire, n, sent, &sent_len);
    check(executed == 2, "session: same seq with other bytes is a new request", "%d runs", executed);

    /* A garbled request: a NAK naming the CRC, nothing run, the kept response unharmed. */
    n = request(PROTO_ECHO, 8, hi, 2, wire, sizeof wire);
    wire[3] ^= 0x01;
    sends = feed(wire, n, sent, &sent_len);
    st = proto_frame_decode(sent, sent_len - PROTO_DELIMITER_BYTES, &f);
    int32_t detail = -1;
    proto_detail_decode(f.payload, f.len, &detail);
    check(sends == 1 && executed == 2 && st == PROTO_FRAME_OK && f.type == 0xFFu && f.status == PROTO_ERR_BAD_FRAME
              && detail == PROTO_FRAME_ERR_CRC,
          "session: a garbled frame gets a NAK", "%d sends, %d runs, type %u, status %u, detail %ld", sends, executed, f.type,
          f.status, (long)detail);
    n = request(PROTO_ECHO, 7, ho, 2, wire, sizeof wire);
    feed(wire, n, sent, &sent_len);
    check(executed == 2, "session: the kept response survives a NAK", "%d runs", executed);

    /* A frame longer than any valid one: NAK too_long, and the next frame is read normally. */
    for (int i = 0; i < (int)PROTO_WIRE_BYTES(PROTO_MAX_PAYLOAD) + 10; i++) {
        proto_session_push(&session, 0x55, &f);
    }
    uint8_t zero = 0;
    sends = feed(&zero, 1, sent, &sent_len);
    st = proto_frame_decode(sent, sent_len - PROTO_DELIMITER_BYTES, &f);
    proto_detail_decode(f.payload, f.len, &detail);
    check(sends == 1 && st == PROTO_FRAME_OK && detail == PROTO_FRAME_ERR_TOO_LONG, "session: an endless frame gets a NAK",
          "%d sends, detail %ld", sends, (long)detail);
    static uint8_t big[PROTO_MAX_PAYLOAD];
    for (size_t i = 0; i < sizeof big; i++) {
        big[i] = (uint8_t)i;
    }
    n = request(PROTO_ECHO, 9, big, PROTO_MAX_PAYLOAD, wire, sizeof wire);
    check(n > 0u && n <= PROTO_WIRE_BYTES(PROTO_MAX_PAYLOAD), "frame: worst-case size macro", "%zu bytes", n);
    feed(wire, n, sent, &sent_len);
    st = proto_frame_decode(sent, sent_len - PROTO_DELIMITER_BYTES, &f);
    check(executed == 3 && st == PROTO_FRAME_OK && f.len == PROTO_MAX_PAYLOAD && memcmp(f.payload, big, sizeof big) == 0,
          "session: a full-size echo", "%d runs, %u bytes", executed, f.len);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: proto_test testdata/wire/vectors.txt\n");
        return 2;
    }
    check(proto_crc32c(0, (const uint8_t *)"123456789", 9) == PROTO_CRC32C_CHECK, "crc32c check value", "mismatch");
    int blocks = run_vectors(argv[1]);
    check(blocks > 50, "vectors read", "%d blocks in %s", blocks, argv[1]);
    cobs_round_trips();
    reader();
    session_answers();
    printf("proto_test: %d vector blocks\n", blocks);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
