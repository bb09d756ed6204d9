/* The board port for QEMU's MPS2 machines: mps2-an386 (Cortex-M4F) and mps2-an500 (Cortex-M7).
 * An application sees only this header, uart.h and timing.h; another port (a real board)
 * provides the same names. */
#ifndef FQT_BOARD_H
#define FQT_BOARD_H

#include <stdint.h>

/* SYSCLK of QEMU's MPS2 models: it clocks the UARTs and, with CLKSOURCE=1, SysTick. */
#define BOARD_CLOCK_HZ 25000000u

/* Brings up what the application uses: UART0 at 115200 baud and the SysTick time base. */
void board_init(void);

/* "cortex-m4f" or "cortex-m7": the CPU this image was built for. */
const char *board_core_name(void);

/* RAM the linker script gives the image (data, bss and stack), in bytes. */
uint32_t board_ram_bytes(void);

/* The GNU build-id of this image (the linker's hash of its contents); *len_out gets its length. */
const uint8_t *board_build_id(uint32_t *len_out);

#endif
