# Prints an image's RAM from `arm-none-eabi-nm -t d` output (sections.ld's symbols): the firmware's own
# state (data + bss), the arena, the stack reserve, the code and the Flash model store. Run with -v board=NAME.
{ v[$3] = $1 + 0 }
END {
    printf "%s: RAM %d B: firmware state %d B (data + bss), arena %d B, stack reserve %d B; Flash %d B: code %d B, model store 2 x %d B\n",
        board, v["__ram_bytes"], v["__bss_end"] - v["__data_start"], v["__arena_end"] - v["__arena_start"],
        v["__stack_min"], v["__flash_bytes"], v["__code_end"] - v["__flash_start"], v["__model_store_half"]
}
