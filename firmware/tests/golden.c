#include "golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *open_in(const golden_case *c, const char *file) {
    char path[1200];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", c->dir, file);
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "missing golden file %s (regenerate: fqt.golden.GoldenVectors)\n", path);
        exit(2);
    }
    return f;
}

void *golden_array(const golden_case *c, const char *file, size_t element_bytes, size_t *count) {
    FILE *f = open_in(c, file);
    long n;
    void *buf;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t) n + 8);
    if (buf == NULL || fread(buf, 1, (size_t) n, f) != (size_t) n) {
        fprintf(stderr, "cannot read %s/%s\n", c->dir, file);
        exit(2);
    }
    fclose(f);
    if (count != NULL) *count = (size_t) n / element_bytes;
    return buf;
}

static const char *param(const golden_case *c, const char *key) {
    static char line[256];
    FILE *f = open_in(c, "params.txt");
    size_t len = strlen(key);
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, len) == 0 && line[len] == ' ') {
            fclose(f);
            return line + len + 1;
        }
    }
    fprintf(stderr, "%s/params.txt has no %s\n", c->dir, key);
    exit(2);
}

int32_t golden_int(const golden_case *c, const char *key) {
    return (int32_t) strtol(param(c, key), NULL, 10);
}

float golden_float(const golden_case *c, const char *key) {
    uint32_t bits = (uint32_t) strtoul(param(c, key), NULL, 16);
    float v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

void golden_fail(golden_case *c, const char *what) {
    printf("FAIL %s/%s: %s\n", c->kernel, c->name, what);
    c->failures++;
}

void golden_expect(golden_case *c, const char *file, const void *actual, size_t bytes, size_t element_bytes) {
    size_t n, i;
    uint8_t *expected = (uint8_t *) golden_array(c, file, 1, &n);
    const uint8_t *a = (const uint8_t *) actual;
    char what[256];
    if (n != bytes) {
        snprintf(what, sizeof what, "%s: %lu bytes expected, %lu computed", file, (unsigned long) n,
                 (unsigned long) bytes);
        golden_fail(c, what);
    } else {
        for (i = 0; i < n && expected[i] == a[i]; i++) {
        }
        if (i < n) {
            size_t e = i / element_bytes * element_bytes, k;
            uint32_t want = 0, got = 0;
            for (k = 0; k < element_bytes; k++) {
                want |= (uint32_t) expected[e + k] << (8 * k);
                got |= (uint32_t) a[e + k] << (8 * k);
            }
            snprintf(what, sizeof what, "%s: first mismatch at element %lu: expected 0x%lx, computed 0x%lx", file,
                     (unsigned long) (e / element_bytes), (unsigned long) want, (unsigned long) got);
            golden_fail(c, what);
        }
    }
    free(expected);
}

/* v in decimal into buf (21 bytes or more): the boards' newlib-nano printf has no %lld. */
static const char *int64_text(int64_t v, char *buf) {
    char digits[20];
    uint64_t m = v < 0 ? 0u - (uint64_t) v : (uint64_t) v;
    int n = 0;
    char *p = buf;
    do {
        digits[n++] = (char) ('0' + m % 10u);
        m /= 10u;
    } while (m != 0u);
    if (v < 0) *p++ = '-';
    while (n > 0) *p++ = digits[--n];
    *p = 0;
    return buf;
}

void golden_expect_int(golden_case *c, const char *what, int64_t expected, int64_t actual) {
    char msg[256], e[21], a[21];
    if (expected == actual) return;
    snprintf(msg, sizeof msg, "%s: expected %s, computed %s", what, int64_text(expected, e), int64_text(actual, a));
    golden_fail(c, msg);
}
