/* Vector table and reset handler for the MPS2 Cortex-M4F / Cortex-M7 images. */
#include <stdint.h>

#include "board.h"

/* Symbols from sections.ld. */
extern uint32_t __data_load[];
extern uint32_t __data_start[];
extern uint32_t __data_end[];
extern uint32_t __bss_start[];
extern uint32_t __bss_end[];
extern uint32_t __stack_top[];
extern uint32_t __stack_min[]; /* absolute: its address is the reserve's size */

int main(void);

void Reset_Handler(void);
void Default_Handler(void);
/* Weak, so an image overrides only what it handles (timing.c: SysTick; test images: faults). */
void NMI_Handler(void) __attribute__((weak, alias("Default_Handler")));
void HardFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

/* System Control Block: coprocessor access control. */
#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define CPACR_CP10_CP11_FULL (0xFu << 20)

/* 16 system exceptions, then the 32 external interrupts QEMU's MPS2 models wire up (unused). */
#define VECTOR_COUNT (16 + 32)

__attribute__((section(".vectors"), used)) static const uintptr_t vectors[VECTOR_COUNT] = {
    (uintptr_t)__stack_top,
    (uintptr_t)Reset_Handler,
    (uintptr_t)NMI_Handler,
    (uintptr_t)HardFault_Handler,
    (uintptr_t)MemManage_Handler,
    (uintptr_t)BusFault_Handler,
    (uintptr_t)UsageFault_Handler,
    0, 0, 0, 0,
    (uintptr_t)SVC_Handler,
    (uintptr_t)DebugMon_Handler,
    0,
    (uintptr_t)PendSV_Handler,
    (uintptr_t)SysTick_Handler,
    [16 ... VECTOR_COUNT - 1] = (uintptr_t)Default_Handler,
};

/* Fills the stack reserve below the running frame with BOARD_STACK_PAINT: board_stack_used() then
 * finds the deepest the stack has gone. */
static void paint_stack(void)
{
    uint32_t *p = (uint32_t *)((uintptr_t)__stack_top - (uintptr_t)__stack_min);
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    while (p < sp - 16) { /* 64 bytes below sp: this function's own frame stays untouched */
        *p++ = BOARD_STACK_PAINT;
    }
}

void Reset_Handler(void)
{
    paint_stack();
    uint32_t *src = __data_load;
    uint32_t *dst = __data_start;
    while (dst < __data_end) {
        *dst++ = *src++;
    }
    for (dst = __bss_start; dst < __bss_end;) {
        *dst++ = 0;
    }
#if defined(__ARM_FP)
    /* Full access to CP10/CP11 (the FPU); until then any float instruction is a UsageFault. */
    SCB_CPACR |= CPACR_CP10_CP11_FULL;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    main();
    for (;;) {
    }
}

/* An unexpected exception stops here; the host sees a board that no longer answers. */
void Default_Handler(void)
{
    for (;;) {
    }
}
