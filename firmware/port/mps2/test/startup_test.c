/* Semihosting smoke test of the MPS2 startup code, run by fqt.board.StartupTest:
 * .data copied, .bss zeroed (the test pre-fills RAM with 0xA5), FPU usable after Reset_Handler,
 * float arithmetic without fused multiply-add, and SysTick counting instructions under -icount.
 * Exit status: 0 when every check passes, else the OR of the failed checks' bits below. */
#include <stdint.h>

#include "board.h"
#include "semihost.h"
#include "timing.h"

#define FAIL_DATA 0x01
#define FAIL_BSS 0x02
#define FAIL_FLOAT 0x04
#define FAIL_CONTRACTED 0x08
#define FAIL_DOUBLE 0x10
#define FAIL_INSTRUCTIONS 0x20
#define FAIL_FAULT 0x80

/* Loop iterations timed with SysTick; the loop is 2 instructions per iteration. */
#define SPIN_ITERATIONS 100000u
/* Allowed error in instructions: one 40-instruction tick of SysTick resolution at each end plus
 * the few dozen instructions of the two timing calls. */
#define SPIN_TOLERANCE 160u

static volatile uint32_t data_word = 0x12345678u;
static volatile uint32_t bss_words[256];

/* Volatile so the compiler cannot fold the arithmetic at build time. */
static volatile float one = 1.0f;
static volatile float three = 3.0f;
static volatile float fma_a = 1.0f + 0x1p-12f;
static volatile float fma_c = -(1.0f + 0x1p-11f);
static volatile double one_d = 1.0;
static volatile double three_d = 3.0;

/* A fault (for example a float instruction with the FPU still disabled) ends the run. */
void HardFault_Handler(void)
{
    semihost_exit(FAIL_FAULT);
}

static uint32_t float_bits(float f)
{
    union { float f; uint32_t u; } v = {f};
    return v.u;
}

static uint64_t double_bits(double d)
{
    union { double d; uint64_t u; } v = {d};
    return v.u;
}

/* Exactly 2 instructions per iteration (subs, bne). */
static void spin(uint32_t n)
{
    __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

static void write_u32(uint32_t v)
{
    char buf[11];
    int i = 10;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    semihost_write0(&buf[i]);
}

int main(void)
{
    int failed = 0;
    board_init();

    if (data_word != 0x12345678u) {
        failed |= FAIL_DATA;
    }
    for (uint32_t i = 0; i < sizeof bss_words / sizeof bss_words[0]; i++) {
        if (bss_words[i] != 0u) {
            failed |= FAIL_BSS;
        }
    }
    if (float_bits(one / three) != 0x3EAAAAABu) {
        failed |= FAIL_FLOAT;
    }
    /* a*a rounds to 1 + 2^-11 (a tie to even), so a*a + c is 0; a fused multiply-add gives 2^-24. */
    if (fma_a * fma_a + fma_c != 0.0f) {
        failed |= FAIL_CONTRACTED;
    }
    if (double_bits(one_d / three_d) != 0x3FD5555555555555u) {
        failed |= FAIL_DOUBLE;
    }

    uint64_t start = timing_instructions();
    spin(SPIN_ITERATIONS);
    uint32_t measured = (uint32_t)(timing_instructions() - start);
    uint32_t expected = 2u * SPIN_ITERATIONS;
    uint32_t error = measured > expected ? measured - expected : expected - measured;
    if (error > SPIN_TOLERANCE) {
        failed |= FAIL_INSTRUCTIONS;
    }

    semihost_write0("startup-test ");
    semihost_write0(board_core_name());
    semihost_write0(": spin of ");
    write_u32(expected);
    semihost_write0(" instructions measured as ");
    write_u32(measured);
    semihost_write0("\n");
    semihost_exit(failed);
}
