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

/* RAM the linker script gives the image (data, bss, arena and stack; every RAM region), in bytes. */
uint32_t board_ram_bytes(void);

/* The training arena: the RAM the linker left after data, bss and the stack reserve (sections.ld);
 * *bytes_out gets its size. 8-aligned. */
uint8_t *board_arena(uint32_t *bytes_out);

/* The model store in Flash (sections.ld): the blob as loaded, whose frozen parameters the core
 * reads in place, and the image written back for READ_WEIGHTS, each of board_model_store_bytes().
 * The core writes the image with plain stores (fqt_model_blob_write), which the MPS2 machines'
 * SSRAM takes; a port on real Flash needs a write-back streamed page by page, which the core does
 * not offer yet. */
uint32_t board_model_store_bytes(void);
const uint8_t *board_model_blob(void);
uint8_t *board_model_image(void);

/* Writes n bytes at offset of the blob store. On the MPS2 machines the code memory is SSRAM, so
 * this is a memcpy; a port on real Flash erases each page as the write enters it and programs
 * the bytes (nRF52840: NVMC; RP2040: flash_range_erase / flash_range_program from RAM). */
void board_model_blob_write(uint32_t offset, const void *data, uint32_t n);

/* What the stack reserve holds where the stack has not been (startup.c paints it at reset). */
#define BOARD_STACK_PAINT 0x57ACC0DEu

/* The deepest the stack has gone since reset, in bytes: the reserve less its still painted words
 * from the bottom. Equal to the reserve when it has all been used (or overrun). */
uint32_t board_stack_used(void);

/* The board profile the image was linked for ("nrf52840", or the QEMU machine "mps2-an386"). */
const char *board_profile_name(void);

/* The GNU build-id of this image (the linker's hash of its contents); *len_out gets its length. */
const uint8_t *board_build_id(uint32_t *len_out);

#endif
