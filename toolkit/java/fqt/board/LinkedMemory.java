package fqt.board;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The memory of a linked board application, read from its ELF's symbols
 * ({@code arm-none-eabi-nm}; {@code firmware/port/mps2/sections.ld} defines them): the one source
 * of the firmware's own static RAM, its code size, the arena the board reports and the model store.
 *
 * @param ramOrigin          start of the RAM region data and bss go to
 * @param ramBytes           all RAM the linker script has ({@code __ram_bytes}: every region)
 * @param flashOrigin        start of Flash
 * @param flashBytes         Flash the linker script has
 * @param stackReserve       bytes kept free for the stack ({@code __stack_min})
 * @param firmwareStateBytes data + bss: the firmware's own static RAM, outside the arena
 * @param codeBytes          code, constants and the .data image in Flash
 * @param arenaBytes         the training arena: the largest {@code Memory.plan} the board trains
 * @param modelStoreBytes    each half of the Flash model store: the largest model blob
 */
public record LinkedMemory(long ramOrigin, long ramBytes, long flashOrigin, long flashBytes, long stackReserve,
        long firmwareStateBytes, long codeBytes, long arenaBytes, long modelStoreBytes) {

    /** Reads {@code elf}'s symbols. */
    public static LinkedMemory of(Path elf) {
        Map<String, Long> v = symbols(elf);
        return new LinkedMemory(v.get("__ram_start"), v.get("__ram_bytes"), v.get("__flash_start"), v.get("__flash_bytes"),
                v.get("__stack_min"), v.get("__bss_end") - v.get("__data_start"), v.get("__code_end") - v.get("__flash_start"),
                v.get("__arena_end") - v.get("__arena_start"), v.get("__model_store_half"));
    }

    private static Map<String, Long> symbols(Path elf) {
        Qemu.requireOnPath("arm-none-eabi-nm", "binutils-arm-none-eabi");
        try {
            Process p = new ProcessBuilder("arm-none-eabi-nm", "-t", "d", elf.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException("arm-none-eabi-nm " + elf + " failed:\n" + out);
            Map<String, Long> v = new HashMap<>();
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[2].startsWith("__")) v.put(f[2], Long.parseLong(f[0]));
            }
            for (String s : new String[] {"__ram_start", "__ram_bytes", "__flash_start", "__flash_bytes", "__stack_min", "__data_start",
                "__bss_end", "__code_end", "__arena_start", "__arena_end", "__model_store_half"}) {
                if (!v.containsKey(s)) throw new IllegalStateException(elf + " has no symbol " + s + ": not linked with firmware/port/mps2/sections.ld");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run arm-none-eabi-nm: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + elf, e);
        }
    }
}
