#include "board.h"

#include <string.h>

#include "timing.h"
#include "uart.h"

/* Symbols from sections.ld. */
extern const uint8_t __build_id_start[];
extern const uint8_t __ram_bytes[];
extern const uint32_t __stack_top[];
extern const uint8_t __stack_min[];
extern uint8_t __arena_start[];
extern uint8_t __arena_end[];
extern const uint8_t __model_store_half[];
extern uint8_t __model_blob_start[];
extern uint8_t __model_image_start[];

void board_init(void)
{
    uart_init(115200u);
    timing_init();
}

const char *board_core_name(void)
{
    return FQT_BOARD_CORE; /* set per image by board.mk */
}

uint32_t board_ram_bytes(void)
{
    return (uint32_t)(uintptr_t)__ram_bytes; /* an absolute symbol: its address is the value */
}

uint8_t *board_arena(uint32_t *bytes_out)
{
    *bytes_out = (uint32_t)(__arena_end - __arena_start);
    return __arena_start;
}

uint32_t board_model_store_bytes(void)
{
    return (uint32_t)(uintptr_t)__model_store_half;
}

const uint8_t *board_model_blob(void)
{
    return __model_blob_start;
}

uint8_t *board_model_image(void)
{
    return __model_image_start;
}

void board_model_blob_write(uint32_t offset, const void *data, uint32_t n)
{
    memcpy(__model_blob_start + offset, data, n);
}

uint32_t board_stack_used(void)
{
    const uint32_t *p = (const uint32_t *)((uintptr_t)__stack_top - (uintptr_t)__stack_min);
    while (p < __stack_top && *p == BOARD_STACK_PAINT) p++;
    return (uint32_t)((uintptr_t)__stack_top - (uintptr_t)p);
}

const char *board_profile_name(void)
{
    return FQT_BOARD_PROFILE; /* set per image by board.mk */
}

const uint8_t *board_build_id(uint32_t *len_out)
{
    /* An ELF note: namesz, descsz, type (4 bytes each), the name "GNU\0", then the hash. */
    const uint32_t *note = (const uint32_t *)(const void *)__build_id_start;
    *len_out = note[1];
    return __build_id_start + 12u + ((note[0] + 3u) & ~3u);
}
