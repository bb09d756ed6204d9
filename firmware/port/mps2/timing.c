#include "timing.h"

#include "board.h"

/* SysTick registers (ARMv7-M ARM, B3.3). */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

#define CSR_ENABLE 0x1u
#define CSR_TICKINT 0x2u
#define CSR_CLKSOURCE_CPU 0x4u

/* The counter is 24 bits wide and counts down from SYSTICK_MAX. */
#define SYSTICK_MAX 0xFFFFFFu

static volatile uint32_t wraps;

void SysTick_Handler(void)
{
    wraps++;
}

void timing_init(void)
{
    SYST_CSR = 0;
    SYST_RVR = SYSTICK_MAX;
    SYST_CVR = 0; /* any write clears the counter; it reloads on the next tick */
    wraps = 0;
    SYST_CSR = CSR_ENABLE | CSR_TICKINT | CSR_CLKSOURCE_CPU;
}

uint64_t timing_ticks(void)
{
    uint32_t hi;
    uint32_t now;
    /* Re-read if a wrap interrupt ran between the two reads. */
    do {
        hi = wraps;
        now = SYST_CVR;
    } while (hi != wraps);
    return ((uint64_t)hi << 24) + (SYSTICK_MAX - now);
}

uint64_t timing_instructions(void)
{
    return timing_ticks() * TIMING_INSTRUCTIONS_PER_TICK;
}
