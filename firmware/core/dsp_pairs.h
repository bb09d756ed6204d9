/*
 * Pairs of zero-point-corrected uint8 values as int16 halves of a word, the operands of the DSP
 * extension's dual 16-bit multiply-accumulate (SMLAD: acc + lo*lo + hi*hi). Only for builds with
 * __ARM_FEATURE_DSP (Cortex-M4/M7); the kernels keep a plain C path beside every use. Products of
 * values in [-255, 255] summed in int32 are exact, so the DSP paths give the plain paths' bits.
 */
#ifndef FQT_DSP_PAIRS_H
#define FQT_DSP_PAIRS_H

#if defined(__ARM_FEATURE_DSP)

#include <arm_acle.h>
#include <stdint.h>
#include <string.h>

/* Four consecutive uint8 values, byte 0 lowest; any alignment (one LDR: M4/M7 load unaligned words). */
static inline uint32_t fqt_dsp_load4(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* The pair (-zp, -zp) that fqt_dsp_even and fqt_dsp_odd add to the bytes they extract. */
static inline uint32_t fqt_dsp_minus_zp(int32_t zp) {
    return ((uint32_t) -zp & 0xFFFFu) * 0x10001u;
}

/* (v0 - zp, v2 - zp) from bytes 0 and 2 of v: one UXTAB16, which adds the zero-extended bytes to minus_zp. */
static inline int32_t fqt_dsp_even(uint32_t v, uint32_t minus_zp) {
    return (int32_t) __uxtab16(minus_zp, v);
}

/* (v1 - zp, v3 - zp) from bytes 1 and 3: the same with v rotated by 8 (GCC 12 does not fold a C rotate into it). */
static inline int32_t fqt_dsp_odd(uint32_t v, uint32_t minus_zp) {
    int32_t r;
    __asm__("uxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(minus_zp), "r"(v));
    return r;
}

/* (lo, hi) as int16 halves; both in [-255, 255]. */
static inline int32_t fqt_dsp_pack(int32_t lo, int32_t hi) {
    return (int32_t) (((uint32_t) lo & 0xFFFFu) | (uint32_t) hi << 16);
}

/* (lo of a, lo of b) and (hi of a, hi of b): pairs across two words, one PKHBT or PKHTB each. */
static inline int32_t fqt_dsp_lows(int32_t a, int32_t b) {
    int32_t r;
    __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static inline int32_t fqt_dsp_highs(int32_t a, int32_t b) {
    int32_t r;
    __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(b), "r"(a));
    return r;
}

/*
 * Four bytes at a time: per byte, a >= b (unsigned) ? p : q. USUB8 sets the GE flags, SEL picks;
 * one asm statement, so nothing can come between them.
 */
static inline uint32_t fqt_dsp_bytes_ge_select(uint32_t a, uint32_t b, uint32_t p, uint32_t q) {
    uint32_t r, t;
    __asm__("usub8 %1, %2, %3\n\tsel %0, %4, %5" : "=r"(r), "=&r"(t) : "r"(a), "r"(b), "r"(p), "r"(q) : "cc");
    return r;
}

/* Byte b in all four lanes. */
static inline uint32_t fqt_dsp_bytes(int32_t b) {
    return ((uint32_t) b & 0xFFu) * 0x01010101u;
}

/* Four bytes to p, any alignment (one STR). */
static inline void fqt_dsp_store4(uint8_t *p, uint32_t v) {
    memcpy(p, &v, 4);
}

#endif

#endif
