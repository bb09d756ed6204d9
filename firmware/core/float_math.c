#include "float_math.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

#include "rounding.h"

#define LOG2E 1.44269504f
#define LN2_HI 0.693145752f /* ln 2 split so n * LN2_HI is exact for |n| < 2^11 */
#define LN2_LO 1.42860677e-6f
#define LN2 0.693147181f

static float bits_to_float(uint32_t bits) {
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static uint32_t float_to_bits(float f) {
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return bits;
}

float fqt_float_math_exp(float x) {
    int32_t n;
    float fn, r, p;
    if (x != x) return x;
    if (x < -87.0f) x = -87.0f;
    if (x > 88.0f) x = 88.0f;
    n = fqt_rounding_floor_to_int(x * LOG2E + 0.5f);
    fn = (float) n;
    r = (x - fn * LN2_HI) - fn * LN2_LO;
    p = 1.0f / 720.0f;
    p = 1.0f / 120.0f + r * p;
    p = 1.0f / 24.0f + r * p;
    p = 1.0f / 6.0f + r * p;
    p = 0.5f + r * p;
    p = 1.0f + r * p;
    p = 1.0f + r * p;
    return p * bits_to_float((uint32_t) (n + 127) << 23);
}

float fqt_float_math_log(float x) {
    uint32_t bits;
    int32_t e;
    float m, f, s, s2, p;
    if (!(x >= 0.0f)) return bits_to_float(0x7FC00000u); /* Java's Float.NaN */
    if (x < FLT_MIN) return -88.72284f;
    if (x == bits_to_float(0x7F800000u)) return x;
    bits = float_to_bits(x);
    e = (int32_t) ((bits >> 23) & 0xFFu) - 127;
    m = bits_to_float((bits & 0x007FFFFFu) | 0x3F800000u); /* in [1, 2) */
    if (m > 1.41421356f) { /* keep m in [sqrt(1/2), sqrt(2)) for a fast-converging series */
        m = m * 0.5f;
        e = e + 1;
    }
    f = m - 1.0f;
    s = f / (2.0f + f);
    s2 = s * s;
    p = 1.0f / 9.0f;
    p = 1.0f / 7.0f + s2 * p;
    p = 1.0f / 5.0f + s2 * p;
    p = 1.0f / 3.0f + s2 * p;
    p = 1.0f + s2 * p;
    return (float) e * LN2 + 2.0f * s * p;
}
