#include "conv2d_u8.h"

#include "dsp_pairs.h"

#include <string.h>

/*
 * The plain C loops are the reference and run everywhere. With the DSP extension the usual 3x3
 * layer (stride 1, padding 1) runs on int16 pairs with SMLAD (dsp_pairs.h) from zero-padded,
 * zero-point-corrected int16 copies of its planes in the arena's scratch_i16 (ARENA.md): no edge
 * cases, four outputs at a time summed over all input channels in registers (conv3x3_padded, its
 * loops in assembly), the weight gradient as three shifted dot products per kernel row
 * (dots3x3_padded). Other stride-1
 * convolutions with 3-wide kernels run one kernel row at a time on uint8 pairs (rows3, dots3).
 * Integer sums are exact (and wrap alike in any order), so the order changes no bit. Other
 * geometries take the plain loops on every CPU.
 */

int fqt_conv2d_u8_padded(const fqt_conv_geometry *g) {
    return g->stride == 1 && g->k_h == 3 && g->k_w == 3 && g->pad == 1;
}

#if defined(__ARM_FEATURE_DSP)
static int use_dsp(const fqt_conv_geometry *g) {
    return g->stride == 1 && g->k_w == 3;
}

static int32_t max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t min_i32(int32_t a, int32_t b) { return a < b ? a : b; }

/*
 * A 3-tap correlation over `rows` rows: out[r][t] += sum of w[k] * (v[r][t + k + off] - zp) over
 * k = 0..2 with t + k + off inside [0, m), for t in [0, n); rows are out_stride and v_stride apart.
 * The forward pass runs it on input rows (off = -pad, taps w[kx]), the error propagation on error
 * rows with the kernel row reversed. Outputs in [t_lo, t_hi) read all three taps: four at a time,
 * then two, then one; the outputs outside sum the taps they have.
 */
static void rows3(int32_t *out, int32_t out_stride, int32_t n, const uint8_t *v, int32_t v_stride, int32_t m, int32_t off,
                  int32_t rows, int32_t zp, const int32_t *w) {
    int32_t t_lo = min_i32(max_i32(0, -off), n), t_hi = max_i32(min_i32(n, m - off - 2), t_lo);
    int32_t t_quads = t_lo + (t_hi - t_lo) / 4 * 4, r, t, k;
    uint32_t minus_zp = fqt_dsp_minus_zp(zp);
    int32_t w02 = fqt_dsp_pack(w[0], w[2]), w1 = w[1];
    for (r = 0; r < rows; r++, out += out_stride, v += v_stride) {
        for (t = t_lo; t < t_quads; t += 4) {
            /* Four outputs read six values: the words at v+j (v0..v3) and v+j+2 (v2..v5). */
            const uint8_t *p = v + t + off;
            uint32_t a = fqt_dsp_load4(p), b = fqt_dsp_load4(p + 2);
            int32_t a02 = fqt_dsp_even(a, minus_zp), a13 = fqt_dsp_odd(a, minus_zp);
            int32_t b24 = fqt_dsp_even(b, minus_zp), b35 = fqt_dsp_odd(b, minus_zp);
            out[t] = __smlabb(a13, w1, __smlad(a02, w02, out[t]));
            out[t + 1] = __smlatb(a02, w1, __smlad(a13, w02, out[t + 1]));
            out[t + 2] = __smlabb(b35, w1, __smlad(b24, w02, out[t + 2]));
            out[t + 3] = __smlatb(b24, w1, __smlad(b35, w02, out[t + 3]));
        }
        if (t + 2 <= t_hi) {
            uint32_t a = fqt_dsp_load4(v + t + off);
            int32_t a02 = fqt_dsp_even(a, minus_zp), a13 = fqt_dsp_odd(a, minus_zp);
            out[t] = __smlabb(a13, w1, __smlad(a02, w02, out[t]));
            out[t + 1] = __smlatb(a02, w1, __smlad(a13, w02, out[t + 1]));
            t += 2;
        }
        if (t < t_hi) {
            for (k = 0; k < 3; k++) out[t] += w[k] * ((int32_t) v[t + off + k] - zp);
        }
        for (t = 0; t < n; t++) {
            int32_t j, k_hi;
            if (t == t_lo && (t = t_hi) == n) break;
            j = t + off;
            k_hi = min_i32(3, m - j);
            for (k = max_i32(0, -j); k < k_hi; k++) out[t] += w[k] * ((int32_t) v[j + k] - zp);
        }
    }
}

/* Two int16 values at p as one word, p[0] low (one LDR; M4/M7 load halfword-aligned words). */
static inline int32_t load_pair(const int16_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

/*
 * `planes` h x w uint8 planes (h * w apart) as (h + 2) x (w + 2) int16 planes of v - zp, with a
 * border of zeros: a padded tap adds exactly nothing.
 */
static void pad_planes(int16_t *dst, const uint8_t *src, int32_t planes, int32_t h, int32_t w, int32_t zp) {
    int32_t wp = w + 2, c, y, x;
    uint32_t minus_zp = fqt_dsp_minus_zp(zp);
    for (c = 0; c < planes; c++, src += h * w) {
        for (x = 0; x < wp; x++) *dst++ = 0;
        for (y = 0; y < h; y++) {
            const uint8_t *s = src + y * w;
            *dst++ = 0;
            /* Four values a turn: the pairs (v0, v2), (v1, v3) from UXTAB16, back in order with PKHBT/PKHTB. */
            for (x = 0; x + 4 <= w; x += 4, dst += 4) {
                uint32_t v = fqt_dsp_load4(s + x);
                int32_t even = fqt_dsp_even(v, minus_zp), odd = fqt_dsp_odd(v, minus_zp);
                int32_t lo = fqt_dsp_lows(even, odd), hi = fqt_dsp_highs(even, odd);
                memcpy(dst, &lo, 4);
                memcpy(dst + 2, &hi, 4);
            }
            for (; x < w; x++) *dst++ = (int16_t) ((int32_t) s[x] - zp);
            *dst++ = 0;
        }
        for (x = 0; x < wp; x++) *dst++ = 0;
    }
}

/* One 3x3 kernel's rows as SMLAD operands: per row r, (w[r][0], w[r][1]) then (w[r][1], w[r][2]). */
static void pack3x3(int32_t *wp, const uint8_t *w9, int32_t w_zp, int rotate) {
    int32_t v[9], r;
    if (rotate) for (r = 0; r < 9; r++) v[r] = (int32_t) w9[8 - r] - w_zp;
    else for (r = 0; r < 9; r++) v[r] = (int32_t) w9[r] - w_zp;
    for (r = 0; r < 3; r++) {
        wp[2 * r] = fqt_dsp_lows(v[3 * r], v[3 * r + 1]);
        wp[2 * r + 1] = fqt_dsp_lows(v[3 * r + 1], v[3 * r + 2]);
    }
}

/* Input channels whose packed weights one conv3x3_padded call takes (a stack array). */
#define PACKED_CHANNELS 32

/*
 * The 3x3 kernel (conv3x3_padded and its blocks below): out[y][t] = (start ? *start : out[y][t])
 * + sum over i < n, r, k < 3 of w_i[r][k] * x_i[y + r][t + k], y < h, t < w: x_i the padded
 * planes ((h + 2) x (w + 2), P apart), w_i packed by pack3x3 (6 words each). A block of outputs
 * stays in registers over all n planes; a row of a plane gives four outputs with three loads:
 * p0 = (x0, x1), p2 = (x2, x3), p4 = (x4, x5), A = (w0, w1), C = (w1, w2):
 *   out0 = x0 w0 + x1 w1 + x2 w2 = smlad(p0, A) + smlabt(p2, C)
 *   out1 = x1 w0 + x2 w1 + x3 w2 = smlatb(p0, A) + smlad(p2, C)   and out2, out3 likewise from p2, p4.
 */
static inline __attribute__((always_inline)) int32_t start_or(const int32_t *start, int32_t v) {
    return start ? *start : v;
}

/*
 * One kernel row's eight multiply-accumulates into a0..a3 (see the comment above): A and C from
 * `w` (one LDRD), then p0, p2, p4 from `row` one at a time in one register, each used by every
 * output it feeds. Text for the assembly loops below.
 */
#define ROW3X3(row, w)                                                                   \
    "ldrd %[A], %[C], " w "\n\t"                                                         \
    "ldr %[p], [" row "]\n\t"                                                             \
    "smlad %[a0], %[p], %[A], %[a0]\n\tsmlatb %[a1], %[p], %[A], %[a1]\n\t"              \
    "ldr %[p], [" row ", #4]\n\t"                                                         \
    "smlabt %[a0], %[p], %[C], %[a0]\n\tsmlad %[a1], %[p], %[C], %[a1]\n\t"              \
    "smlad %[a2], %[p], %[A], %[a2]\n\tsmlatb %[a3], %[p], %[A], %[a3]\n\t"              \
    "ldr %[p], [" row ", #8]\n\t"                                                         \
    "smlabt %[a2], %[p], %[C], %[a2]\n\tsmlad %[a3], %[p], %[C], %[a3]\n\t"

/* Four outputs of one row (o[0..3]); q: the first padded row the block reads. */
static inline __attribute__((always_inline)) void quad3x3(int32_t *o, const int16_t *q, int32_t wpad, int32_t plane, int32_t n,
                                                           const int32_t *wp, const int32_t *start) {
    int32_t a0 = start_or(start, o[0]), a1 = start_or(start, o[1]), a2 = start_or(start, o[2]), a3 = start_or(start, o[3]);
    int32_t row_bytes = 2 * wpad, plane_bytes = 2 * plane;
    const int32_t *wp_end = wp + 6 * n;
    int32_t p, A, C;
    const int16_t *t;
    /*
     * In assembly, so that nothing spills: GCC keeps the loop's 13 values in registers no better
     * than it did the C loop. Per plane and kernel row: the row's A, C (one LDRD), then p0, p2, p4
     * one at a time in one register, each used by every output it feeds (the comment above).
     */
    __asm__ volatile(
        "1:\n\t"
        ROW3X3("%[q]", "[%[wp]], #8")
        "add %[t], %[q], %[rb]\n\t"
        ROW3X3("%[t]", "[%[wp]], #8")
        "add %[t], %[t], %[rb]\n\t"
        ROW3X3("%[t]", "[%[wp]], #8")
        "add %[q], %[q], %[pb]\n\t"
        "cmp %[wp], %[end]\n\t"
        "bne 1b"
        : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [q] "+r"(q), [wp] "+r"(wp),
          [p] "=&r"(p), [A] "=&r"(A), [C] "=&r"(C), [t] "=&r"(t)
        : [rb] "r"(row_bytes), [pb] "r"(plane_bytes), [end] "r"(wp_end)
        : "cc", "memory");
    o[0] = a0;
    o[1] = a1;
    o[2] = a2;
    o[3] = a3;
}

/*
 * Two outputs in each of two rows (o0[0..1], o1[0..1]): the four padded rows q[0..3] are loaded
 * once and serve both (row j is kernel row j of the first, j - 1 of the second).
 */
static inline __attribute__((always_inline)) void block2x2(int32_t *o0, int32_t *o1, const int16_t *q, int32_t wpad, int32_t plane,
                                                            int32_t n, const int32_t *wp, const int32_t *start) {
    int32_t a0 = start_or(start, o0[0]), a1 = start_or(start, o0[1]), b0 = start_or(start, o1[0]), b1 = start_or(start, o1[1]), i, j;
    for (i = 0; i < n; i++, q += plane, wp += 6) {
#pragma GCC unroll 4
        for (j = 0; j < 4; j++) {
            const int16_t *row = q + j * wpad;
            int32_t p0 = load_pair(row), p2 = load_pair(row + 2);
            if (j < 3) {
                int32_t A = wp[2 * j], C = wp[2 * j + 1];
                a0 = __smlabt(p2, C, __smlad(p0, A, a0));
                a1 = __smlad(p2, C, __smlatb(p0, A, a1));
            }
            if (j > 0) {
                int32_t A = wp[2 * j - 2], C = wp[2 * j - 1];
                b0 = __smlabt(p2, C, __smlad(p0, A, b0));
                b1 = __smlad(p2, C, __smlatb(p0, A, b1));
            }
        }
    }
    o0[0] = a0;
    o0[1] = a1;
    o1[0] = b0;
    o1[1] = b1;
}

/* Two outputs of one row. */
static inline __attribute__((always_inline)) void pair3x3(int32_t *o, const int16_t *q, int32_t wpad, int32_t plane, int32_t n,
                                                           const int32_t *wp, const int32_t *start) {
    int32_t a0 = start_or(start, o[0]), a1 = start_or(start, o[1]), i, r;
    for (i = 0; i < n; i++, q += plane, wp += 6) {
#pragma GCC unroll 3
        for (r = 0; r < 3; r++) {
            const int16_t *row = q + r * wpad;
            int32_t p0 = load_pair(row), p2 = load_pair(row + 2);
            int32_t A = wp[2 * r], C = wp[2 * r + 1];
            a0 = __smlabt(p2, C, __smlad(p0, A, a0));
            a1 = __smlad(p2, C, __smlatb(p0, A, a1));
        }
    }
    o[0] = a0;
    o[1] = a1;
}

/* One output (the last of an odd row): x2 alone, since the pair (x2, x3) may reach past the plane. */
static inline __attribute__((always_inline)) void single3x3(int32_t *o, const int16_t *q, int32_t wpad, int32_t plane, int32_t n,
                                                             const int32_t *wp, const int32_t *start) {
    int32_t a0 = start_or(start, o[0]), i, r;
    for (i = 0; i < n; i++, q += plane, wp += 6) {
        for (r = 0; r < 3; r++) {
            const int16_t *row = q + r * wpad;
            a0 = __smlad(load_pair(row), wp[2 * r], a0) + (int32_t) row[2] * (wp[2 * r + 1] >> 16);
        }
    }
    o[0] = a0;
}

/*
 * One plane's quads, in assembly with the quads the inner loop: for one or two planes the
 * per-quad set-up around quad3x3 costs more than the plane's MACs. from_start: the outputs start
 * at *start instead of their values.
 */
static inline __attribute__((always_inline)) void plane_quads(int32_t *out, int32_t h, int32_t w, const int16_t *x, const int32_t *wp,
                                                               const int32_t *start, int from_start) {
    int32_t wpad = w + 2, quads = w - w % 4, row_bytes = 2 * wpad, y, a0, a1, a2, a3, p, A, C, sv = from_start ? *start : 0;
    const int16_t *t;
    if (quads == 0) return;
    for (y = 0; y < h; y++) {
        int32_t *o = out + y * w, *end = o + quads;
        const int16_t *q = x + y * wpad;
        /* The quads' loop; `init` loads the four outputs' starting values. */
#define PLANE_QUADS(init)                                                                \
    "1:\n\t" init                                                                       \
    ROW3X3("%[q]", "[%[wp]]")                                                            \
    "add %[t], %[q], %[rb]\n\t"                                                         \
    ROW3X3("%[t]", "[%[wp], #8]")                                                        \
    "add %[t], %[t], %[rb]\n\t"                                                         \
    ROW3X3("%[t]", "[%[wp], #16]")                                                       \
    "strd %[a0], %[a1], [%[o]], #8\n\tstrd %[a2], %[a3], [%[o]], #8\n\t"                 \
    "add %[q], %[q], #8\n\t"                                                            \
    "cmp %[o], %[end]\n\t"                                                              \
    "bne 1b"
#define PLANE_QUADS_OUTPUTS                                                              \
    [a0] "=&r"(a0), [a1] "=&r"(a1), [a2] "=&r"(a2), [a3] "=&r"(a3), [q] "+r"(q), [o] "+r"(o), \
    [p] "=&r"(p), [A] "=&r"(A), [C] "=&r"(C), [t] "=&r"(t)
        if (from_start) {
            __asm__ volatile(PLANE_QUADS("ldr %[a0], %[sv]\n\tmov %[a1], %[a0]\n\tmov %[a2], %[a0]\n\tmov %[a3], %[a0]\n\t")
                             : PLANE_QUADS_OUTPUTS
                             : [rb] "r"(row_bytes), [end] "r"(end), [wp] "r"(wp), [sv] "m"(sv)
                             : "cc", "memory");
        } else {
            __asm__ volatile(PLANE_QUADS("ldrd %[a0], %[a1], [%[o]]\n\tldrd %[a2], %[a3], [%[o], #8]\n\t")
                             : PLANE_QUADS_OUTPUTS
                             : [rb] "r"(row_bytes), [end] "r"(end), [wp] "r"(wp)
                             : "cc", "memory");
        }
#undef PLANE_QUADS
#undef PLANE_QUADS_OUTPUTS
    }
}

static void plane_quads3x3(int32_t *out, int32_t h, int32_t w, const int16_t *x, const int32_t *wp, const int32_t *start) {
    if (start) plane_quads(out, h, w, x, wp, start, 1);
    else plane_quads(out, h, w, x, wp, start, 0);
}

/* Up to this many planes per call take plane_quads3x3, one plane after the other. */
#define FEW_PLANES 2

/*
 * Each row four outputs at a time; the two left at a row end (w % 4 >= 2) go with the next row's
 * as one 2x2 block; a last odd output alone.
 */
static void conv3x3_padded(int32_t *out, int32_t h, int32_t w, const int16_t *x, int32_t n, const int32_t *wp, const int32_t *start) {
    int32_t wpad = w + 2, plane = (h + 2) * wpad, quads = w - w % 4, y, t, i;
    if (n <= FEW_PLANES) {
        for (i = 0; i < n; i++) plane_quads3x3(out, h, w, x + i * plane, wp + 6 * i, i == 0 ? start : 0);
    }
    for (y = 0; y < h; y++) {
        int32_t *o = out + y * w;
        const int16_t *q = x + y * wpad;
        if (n > FEW_PLANES) for (t = 0; t < quads; t += 4) quad3x3(o + t, q + t, wpad, plane, n, wp, start);
        t = quads;
        if (w - t >= 2) {
            if (y % 2 == 0 && y + 1 < h) block2x2(o + t, o + w + t, q + t, wpad, plane, n, wp, start);
            else if (y % 2 == 0) pair3x3(o + t, q + t, wpad, plane, n, wp, start);
            t += 2;
        }
        if (t < w) single3x3(o + t, q + t, wpad, plane, n, wp, start);
    }
}

/*
 * acc[3r + k] += sum over y < h, t < w of e[y][t] * x[y + r][t + k]: e is h x (w + 2) with zeros
 * in its last two columns, x one padded plane ((h + 2) x (w + 2)) followed in memory by at least
 * two more int16 (the last pair reads them and multiplies them by e's zero columns). Per kernel row,
 * one pass of pairs over the rows run together, the three taps as three shifted dot products (an
odd last element is in e's zero columns).
 */
__attribute__((noinline)) static void dots3x3_padded(const int16_t *e, int32_t h, int32_t w, const int16_t *x, int32_t *acc) {
    int32_t wpad = w + 2, pairs = h * wpad / 2, r;
    for (r = 0; r < 3; r++) {
        const int16_t *ep = e, *xp = x + r * wpad, *end = e + 2 * (pairs - pairs % 2);
        int32_t a0 = 0, a1 = 0, a2 = 0, x0 = load_pair(xp);
        /* Two pairs a turn; x0 rolls over (the pair at +2 is the next turn's first). */
        for (; ep < end; ep += 4, xp += 4) {
            int32_t e0 = load_pair(ep), e1 = load_pair(ep + 2);
            int32_t x1 = load_pair(xp + 1), x2 = load_pair(xp + 2), x3 = load_pair(xp + 3), x4 = load_pair(xp + 4);
            a0 = __smlad(e1, x2, __smlad(e0, x0, a0));
            a1 = __smlad(e1, x3, __smlad(e0, x1, a1));
            a2 = __smlad(e1, x4, __smlad(e0, x2, a2));
            x0 = x4;
        }
        if (pairs % 2 != 0) {
            int32_t e0 = load_pair(ep);
            a0 = __smlad(e0, x0, a0);
            a1 = __smlad(e0, load_pair(xp + 1), a1);
            a2 = __smlad(e0, load_pair(xp + 2), a2);
        }
        acc[3 * r] += a0;
        acc[3 * r + 1] += a1;
        acc[3 * r + 2] += a2;
    }
}

/*
 * The weight gradient's sums over `rows` rows: acc[k] += sum over t in [0, n) of (e[r][t] - e_zp)
 * * (x[r][t + k + off] - x_zp), k = 0..2, for the t with t + k + off inside [0, m). Interior
 * outputs four at a time, then one by one; the edges sum the taps they have.
 */
static void dots3(const uint8_t *e, int32_t e_stride, int32_t n, int32_t e_zp, const uint8_t *x, int32_t x_stride, int32_t m,
                  int32_t off, int32_t x_zp, int32_t rows, int32_t *acc) {
    int32_t t_lo = min_i32(max_i32(0, -off), n), t_hi = max_i32(min_i32(n, m - off - 2), t_lo);
    int32_t t_quads = t_lo + (t_hi - t_lo) / 4 * 4, same = off == -1 && m == n && n >= 4, r, t, k;
    uint32_t minus_e_zp = fqt_dsp_minus_zp(e_zp), minus_x_zp = fqt_dsp_minus_zp(x_zp);
    int32_t acc0 = acc[0], acc1 = acc[1], acc2 = acc[2];
    if (same) {
        /*
         * Padding 1, rows of one width, contiguous (e_stride = x_stride = n): one long row, whose
         * quads run across the row ends; the two taps that wrapped around each row end are taken
         * back (exact in int32).
         */
        for (r = 1; r < rows; r++) {
            int32_t start = r * n;
            acc0 -= ((int32_t) e[start] - e_zp) * ((int32_t) x[start - 1] - x_zp);
            acc2 -= ((int32_t) e[start - 1] - e_zp) * ((int32_t) x[start] - x_zp);
        }
        n *= rows;
        t_hi = n - 1;
        t_quads = 1 + (n - 2) / 4 * 4;
        rows = 1;
    }
    for (r = 0; r < rows; r++, e += e_stride, x += x_stride) {
        for (t = t_lo; t < t_quads; t += 4) {
            const uint8_t *p = x + t + off;
            uint32_t ev = fqt_dsp_load4(e + t), a = fqt_dsp_load4(p), b = fqt_dsp_load4(p + 2);
            int32_t e02 = fqt_dsp_even(ev, minus_e_zp), e13 = fqt_dsp_odd(ev, minus_e_zp);
            int32_t a02 = fqt_dsp_even(a, minus_x_zp), a13 = fqt_dsp_odd(a, minus_x_zp);
            int32_t b24 = fqt_dsp_even(b, minus_x_zp), b35 = fqt_dsp_odd(b, minus_x_zp);
            acc0 = __smlad(e13, a13, __smlad(e02, a02, acc0));
            acc1 = __smlad(e13, b24, __smlad(e02, a13, acc1));
            acc2 = __smlad(e13, b35, __smlad(e02, b24, acc2));
        }
        for (; t < t_hi; t++) {
            const uint8_t *p = x + t + off;
            int32_t ec = (int32_t) e[t] - e_zp;
            acc0 += ec * ((int32_t) p[0] - x_zp);
            acc1 += ec * ((int32_t) p[1] - x_zp);
            acc2 += ec * ((int32_t) p[2] - x_zp);
        }
        if (same) {
            /* e[0] lacks tap 0, e[n-1] tap 2. */
            int32_t first = (int32_t) e[0] - e_zp, last = (int32_t) e[n - 1] - e_zp;
            acc1 += first * ((int32_t) x[0] - x_zp);
            acc2 += first * ((int32_t) x[1] - x_zp);
            acc0 += last * ((int32_t) x[n - 2] - x_zp);
            acc1 += last * ((int32_t) x[n - 1] - x_zp);
            continue;
        }
        for (t = 0; t < n; t++) {
            int32_t j, k_hi, ec;
            if (t == t_lo && (t = t_hi) == n) break;
            j = t + off;
            k_hi = min_i32(3, m - j);
            ec = (int32_t) e[t] - e_zp;
            for (k = max_i32(0, -j); k < k_hi; k++) {
                int32_t d = ec * ((int32_t) x[j + k] - x_zp);
                if (k == 0) acc0 += d;
                else if (k == 1) acc1 += d;
                else acc2 += d;
            }
        }
    }
    acc[0] = acc0;
    acc[1] = acc1;
    acc[2] = acc2;
}
#endif

void fqt_conv2d_u8_forward(const uint8_t *x, int32_t x_zp, const uint8_t *w, int32_t w_zp, const int32_t *bias_q,
                           uint8_t *y, const fqt_conv_geometry *g, int32_t *acc, int16_t *pad, fqt_requantizer *rq) {
    int32_t out_h = fqt_conv_geometry_out_h(g), out_w = fqt_conv_geometry_out_w(g), plane = out_h * out_w;
    int32_t cin = fqt_conv_geometry_in_per_group(g), s = g->stride, p = g->pad;
    int32_t o, ci, ky, kx, oy, ox, i;
#if defined(__ARM_FEATURE_DSP)
    int32_t padded_plane = (g->in_h + 2) * (g->in_w + 2);
    if (fqt_conv2d_u8_padded(g)) pad_planes(pad, x, g->in_c, g->in_h, g->in_w, x_zp);
#else
    (void) pad;
#endif
    for (o = 0; o < g->out_c; o++) {
        int32_t c0 = fqt_conv_geometry_first_input(g, o), base;
#if defined(__ARM_FEATURE_DSP)
        if (fqt_conv2d_u8_padded(g)) {
            int32_t wp[6 * PACKED_CHANNELS];
            for (ci = 0; ci < cin; ci += PACKED_CHANNELS) {
                int32_t n = cin - ci < PACKED_CHANNELS ? cin - ci : PACKED_CHANNELS;
                for (i = 0; i < n; i++) pack3x3(wp + 6 * i, w + (o * cin + ci + i) * 9, w_zp, 0);
                conv3x3_padded(acc, out_h, out_w, pad + (c0 + ci) * padded_plane, n, wp, ci == 0 ? bias_q + o : 0);
            }
            fqt_requantizer_apply_array(rq, acc, y + o * plane, plane);
            continue;
        }
#endif
        for (i = 0; i < plane; i++) acc[i] = bias_q[o];
        for (ci = 0; ci < cin; ci++) {
            int32_t c = c0 + ci;
            for (ky = 0; ky < g->k_h; ky++) {
                int32_t oy_lo = fqt_conv_geometry_lo(ky, s, p), oy_hi = fqt_conv_geometry_hi(ky, s, p, g->in_h, out_h);
#if defined(__ARM_FEATURE_DSP)
                if (use_dsp(g)) {
                    const uint8_t *wr = w + ((o * cin + ci) * g->k_h + ky) * 3;
                    int32_t wc[3] = {(int32_t) wr[0] - w_zp, (int32_t) wr[1] - w_zp, (int32_t) wr[2] - w_zp};
                    if (oy_lo < oy_hi) {
                        rows3(acc + oy_lo * out_w, out_w, out_w, x + (c * g->in_h + oy_lo - p + ky) * g->in_w, g->in_w, g->in_w,
                              -p, oy_hi - oy_lo, x_zp, wc);
                    }
                    continue;
                }
#endif
                for (kx = 0; kx < g->k_w; kx++) {
                    int32_t ox_lo = fqt_conv_geometry_lo(kx, s, p), ox_hi = fqt_conv_geometry_hi(kx, s, p, g->in_w, out_w);
                    int32_t wv = (int32_t) w[((o * cin + ci) * g->k_h + ky) * g->k_w + kx] - w_zp;
                    for (oy = oy_lo; oy < oy_hi; oy++) {
                        int32_t x_row = (c * g->in_h + oy * s - p + ky) * g->in_w - p + kx;
                        int32_t a_row = oy * out_w;
                        for (ox = ox_lo; ox < ox_hi; ox++) acc[a_row + ox] += wv * ((int32_t) x[x_row + ox * s] - x_zp);
                    }
                }
            }
        }
        base = o * plane;
        fqt_requantizer_apply_array(rq, acc, y + base, plane);
    }
}

void fqt_conv2d_u8_backward_error(const uint8_t *dy, int32_t dy_zp, const uint8_t *w, int32_t w_zp, int32_t *dx_acc,
                                  int16_t *pad, const fqt_conv_geometry *g, const int32_t *sel, int32_t n_sel) {
    int32_t out_h = fqt_conv_geometry_out_h(g), out_w = fqt_conv_geometry_out_w(g), plane = out_h * out_w;
    int32_t cin = fqt_conv_geometry_in_per_group(g), s = g->stride, p = g->pad, in_size = fqt_conv_geometry_in_size(g);
    int32_t k, ci, ky, kx, oy, ox, i;
#if defined(__ARM_FEATURE_DSP)
    if (fqt_conv2d_u8_padded(g)) {
        /*
         * The input gets the errors correlated with the kernels turned by 180 degrees: per input
         * channel c, one pass over the padded error planes of the selected outputs of its group
         * (sel ascending, so they are consecutive).
         */
        int32_t padded_plane = (out_h + 2) * (out_w + 2), out_per_group = fqt_conv_geometry_out_per_group(g), c;
        int32_t wp[6 * PACKED_CHANNELS], zero = 0;
        for (k = 0; k < n_sel; k++) pad_planes(pad + k * padded_plane, dy + sel[k] * plane, 1, out_h, out_w, dy_zp);
        for (c = 0; c < g->in_c; c++) {
            int32_t group = c / cin, first = 0, last;
            while (first < n_sel && sel[first] < group * out_per_group) first++;
            for (last = first; last < n_sel && sel[last] < (group + 1) * out_per_group; last++) {}
            if (first == last) for (i = 0; i < plane; i++) dx_acc[c * plane + i] = 0;
            for (k = first; k < last; k += PACKED_CHANNELS) {
                int32_t n = last - k < PACKED_CHANNELS ? last - k : PACKED_CHANNELS;
                for (i = 0; i < n; i++) pack3x3(wp + 6 * i, w + (sel[k + i] * cin + c % cin) * 9, w_zp, 1);
                conv3x3_padded(dx_acc + c * plane, out_h, out_w, pad + k * padded_plane, n, wp, k == first ? &zero : 0);
            }
        }
        return;
    }
#else
    (void) pad;
#endif
    for (i = 0; i < in_size; i++) dx_acc[i] = 0;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k], base = o * plane, c0 = fqt_conv_geometry_first_input(g, o);
        for (ci = 0; ci < cin; ci++) {
            int32_t c = c0 + ci;
            for (ky = 0; ky < g->k_h; ky++) {
                int32_t oy_lo = fqt_conv_geometry_lo(ky, s, p), oy_hi = fqt_conv_geometry_hi(ky, s, p, g->in_h, out_h);
#if defined(__ARM_FEATURE_DSP)
                if (use_dsp(g)) {
                    /* Input column ix gets tap kx from error column ix + p - kx: the kernel row reversed. */
                    const uint8_t *wr = w + ((o * cin + ci) * g->k_h + ky) * 3;
                    int32_t wc[3] = {(int32_t) wr[2] - w_zp, (int32_t) wr[1] - w_zp, (int32_t) wr[0] - w_zp};
                    if (oy_lo < oy_hi) {
                        rows3(dx_acc + (c * g->in_h + oy_lo - p + ky) * g->in_w, g->in_w, g->in_w, dy + base + oy_lo * out_w,
                              out_w, out_w, p - 2, oy_hi - oy_lo, dy_zp, wc);
                    }
                    continue;
                }
#endif
                for (kx = 0; kx < g->k_w; kx++) {
                    int32_t ox_lo = fqt_conv_geometry_lo(kx, s, p), ox_hi = fqt_conv_geometry_hi(kx, s, p, g->in_w, out_w);
                    int32_t wv = (int32_t) w[((o * cin + ci) * g->k_h + ky) * g->k_w + kx] - w_zp;
                    for (oy = oy_lo; oy < oy_hi; oy++) {
                        int32_t x_row = (c * g->in_h + oy * s - p + ky) * g->in_w - p + kx;
                        int32_t y_row = base + oy * out_w;
                        for (ox = ox_lo; ox < ox_hi; ox++) dx_acc[x_row + ox * s] += wv * ((int32_t) dy[y_row + ox] - dy_zp);
                    }
                }
            }
        }
    }
}

void fqt_conv2d_u8_backward_weight(const uint8_t *x, int32_t x_zp, const uint8_t *dy, int32_t dy_zp, float s_e,
                                   float grad_scale, float *gw, float *gb, int32_t row0, int16_t *pad,
                                   const fqt_conv_geometry *g, const int32_t *sel, int32_t n_sel) {
    int32_t out_h = fqt_conv_geometry_out_h(g), out_w = fqt_conv_geometry_out_w(g), plane = out_h * out_w;
    int32_t cin = fqt_conv_geometry_in_per_group(g), s = g->stride, p = g->pad;
    int32_t k, ci, ky, kx, oy, ox, i;
#if defined(__ARM_FEATURE_DSP)
    /* The padded input planes, then one error plane with rows as wide as theirs (zeros at the end). */
    int32_t padded_plane = (g->in_h + 2) * (g->in_w + 2);
    int16_t *e_rows = pad + g->in_c * padded_plane;
    if (fqt_conv2d_u8_padded(g)) pad_planes(pad, x, g->in_c, g->in_h, g->in_w, x_zp);
#else
    (void) pad;
#endif
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k], base = o * plane, c0 = fqt_conv_geometry_first_input(g, o);
        int32_t sum_e = 0;
#if defined(__ARM_FEATURE_DSP)
        if (fqt_conv2d_u8_padded(g)) {
            /* The error rows padded with two zeros, their sum on the way (exact: any order). */
            int32_t y, t;
            int16_t *row = e_rows;
            const uint8_t *d = dy + base;
            for (y = 0; y < out_h; y++) {
                for (t = 0; t < out_w; t++) {
                    int32_t v = (int32_t) *d++ - dy_zp;
                    sum_e += v;
                    *row++ = (int16_t) v;
                }
                *row++ = 0;
                *row++ = 0;
            }
            gb[o - row0] += (float) sum_e * s_e;
            for (ci = 0; ci < cin; ci++) {
                int32_t acc[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
                float *gf = gw + ((o - row0) * cin + ci) * 9;
                dots3x3_padded(e_rows, out_h, out_w, pad + (c0 + ci) * padded_plane, acc);
                for (i = 0; i < 9; i++) gf[i] += (float) acc[i] * grad_scale;
            }
            continue;
        }
#endif
        for (i = base; i < base + plane; i++) sum_e += (int32_t) dy[i] - dy_zp;
        gb[o - row0] += (float) sum_e * s_e;
        for (ci = 0; ci < cin; ci++) {
            int32_t c = c0 + ci;
            for (ky = 0; ky < g->k_h; ky++) {
                int32_t oy_lo = fqt_conv_geometry_lo(ky, s, p), oy_hi = fqt_conv_geometry_hi(ky, s, p, g->in_h, out_h);
#if defined(__ARM_FEATURE_DSP)
                if (use_dsp(g)) {
                    int32_t acc[3] = {0, 0, 0};
                    float *gr = gw + (((o - row0) * cin + ci) * g->k_h + ky) * 3;
                    if (oy_lo < oy_hi) {
                        dots3(dy + base + oy_lo * out_w, out_w, out_w, dy_zp, x + (c * g->in_h + oy_lo - p + ky) * g->in_w, g->in_w,
                              g->in_w, -p, x_zp, oy_hi - oy_lo, acc);
                    }
                    for (kx = 0; kx < 3; kx++) gr[kx] += (float) acc[kx] * grad_scale;
                    continue;
                }
#endif
                for (kx = 0; kx < g->k_w; kx++) {
                    int32_t ox_lo = fqt_conv_geometry_lo(kx, s, p), ox_hi = fqt_conv_geometry_hi(kx, s, p, g->in_w, out_w);
                    int32_t acc = 0;
                    for (oy = oy_lo; oy < oy_hi; oy++) {
                        int32_t x_row = (c * g->in_h + oy * s - p + ky) * g->in_w - p + kx;
                        int32_t y_row = base + oy * out_w;
                        for (ox = ox_lo; ox < ox_hi; ox++) {
                            acc += ((int32_t) dy[y_row + ox] - dy_zp) * ((int32_t) x[x_row + ox * s] - x_zp);
                        }
                    }
                    gw[(((o - row0) * cin + ci) * g->k_h + ky) * g->k_w + kx] += (float) acc * grad_scale;
                }
            }
        }
    }
}
