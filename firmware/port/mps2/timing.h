/* Time on the MPS2 virtual boards.
 *
 * QEMU does not emulate the DWT cycle counter (it reads 0), so time comes from SysTick on the CPU
 * clock (BOARD_CLOCK_HZ), extended to 64 bits by counting its wraps in the SysTick interrupt.
 * QEMU run with -icount shift=0,align=off,sleep=off advances virtual time by exactly 1 ns per
 * executed instruction, so there a tick is 1e9 / BOARD_CLOCK_HZ = 40 *instructions* (not pipeline
 * cycles) and the counts repeat exactly run after run. Resolution: one tick, 40 instructions.
 * Busy-wait, never sleep (WFI), in code that is timed: with sleep=off QEMU jumps virtual time to
 * the next timer deadline while the core sleeps, and that jump would count as instructions. */
#ifndef FQT_TIMING_H
#define FQT_TIMING_H

#include <stdint.h>

#include "board.h"

/* Instructions per SysTick tick under -icount shift=0 (1 ns of virtual time per instruction). */
#define TIMING_INSTRUCTIONS_PER_TICK (1000000000u / BOARD_CLOCK_HZ)

/* Starts SysTick free-running on the CPU clock with its wrap interrupt. */
void timing_init(void);

/* SysTick ticks since timing_init(). Call with interrupts enabled (the wrap count needs them). */
uint64_t timing_ticks(void);

/* Instructions executed since timing_init(), valid only under QEMU's -icount shift=0. */
uint64_t timing_instructions(void);

#endif
