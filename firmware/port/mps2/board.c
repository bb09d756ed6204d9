#include "board.h"

#include "timing.h"
#include "uart.h"

/* Symbols from sections.ld. */
extern const uint8_t __build_id_start[];
extern const uint8_t __ram_start[];
extern const uint8_t __ram_end[];

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
    return (uint32_t)(__ram_end - __ram_start);
}

const uint8_t *board_build_id(uint32_t *len_out)
{
    /* An ELF note: namesz, descsz, type (4 bytes each), the name "GNU\0", then the hash. */
    const uint32_t *note = (const uint32_t *)(const void *)__build_id_start;
    *len_out = note[1];
    return __build_id_start + 12u + ((note[0] + 3u) & ~3u);
}
