package fqt.board;

import fqt.memory.MemoryPlan;
import java.util.Locale;

/**
 * A board's memory as the firmware is linked for it ({@code firmware/port/boards/NAME.ld}): where
 * RAM and Flash are, how much of each, and what the link leaves for training. The built-in
 * profiles ({@link Boards#profiles()}) carry the figures measured from their link; {@link #custom}
 * makes one for another board.
 *
 * <p>RAM holds, from its start, the firmware's own state (data + bss), the training arena and the
 * stack reserve; a model fits when its {@link MemoryPlan#ramBytes()} is at most {@link
 * #arenaBytes()}, so "RAM need" is the plan plus the firmware state plus the stack reserve.
 *
 * @param name           e.g. {@code nrf52840}: the linker script's and build directory's name
 * @param core           the CPU it is built for
 * @param memory         RAM, Flash and what the firmware takes of them
 * @param virtualMachine the QEMU machine of its virtual board ({@link Boards#virtual(BoardProfile)}), or null (link check only)
 */
public record BoardProfile(String name, CortexM core, LinkedMemory memory, String virtualMachine) {
    /** RAM and Flash origin of a {@link #custom} profile: where most Cortex-M parts have them. */
    private static final long CUSTOM_RAM_ORIGIN = 0x2000_0000L, CUSTOM_FLASH_ORIGIN = 0;
    /** Flash page of a {@link #custom} profile's model store (sections.ld's default). */
    private static final long CUSTOM_FLASH_PAGE = 4096;

    public BoardProfile {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a board profile needs a name");
        if (core == null || memory == null) throw new IllegalArgumentException("board profile " + name + " needs a core and its memory");
        if (virtualMachine != null) Qemu.cpu(virtualMachine); // a machine the virtual boards know
    }

    /**
     * A profile for another board with one RAM region: {@code ramBytes} of RAM, {@code flashBytes}
     * of Flash, {@code stackReserve} bytes kept for the stack. The firmware's own state and code
     * are those measured for the built-in profile of the same core; arena and model store follow
     * the layout of {@code sections.ld}. Not linked: write a linker script like the built-in
     * ones to build for it.
     */
    public static BoardProfile custom(String name, CortexM core, long ramBytes, long flashBytes, long stackReserve) {
        LinkedMemory like = Boards.profiles().stream().filter(p -> p.core == core).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no built-in profile of core " + core.key() + " to take the firmware's size from"))
                .memory;
        long arena = (ramBytes - stackReserve - alignUp(like.firmwareStateBytes(), 8)) & ~7L;
        long store = (flashBytes - alignUp(like.codeBytes(), CUSTOM_FLASH_PAGE)) / 2 / CUSTOM_FLASH_PAGE * CUSTOM_FLASH_PAGE;
        if (arena < 0 || store < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "board %s: %,d B of RAM and %,d B of Flash do not hold the firmware"
                    + " (%,d B of state and %,d B of stack; %,d B of code)", name, ramBytes, flashBytes, like.firmwareStateBytes(),
                    stackReserve, like.codeBytes()));
        }
        return new BoardProfile(name, core, new LinkedMemory(CUSTOM_RAM_ORIGIN, ramBytes, CUSTOM_FLASH_ORIGIN, flashBytes, stackReserve,
                like.firmwareStateBytes(), like.codeBytes(), arena, store), null);
    }

    public long ramBytes() { return memory.ramBytes(); }
    public long flashBytes() { return memory.flashBytes(); }
    /** The largest arena, {@link MemoryPlan#ramBytes()}, the firmware linked for this board holds. */
    public long arenaBytes() { return memory.arenaBytes(); }

    /** RAM training needs on this board: the plan's arena, the firmware's own state and the stack reserve. */
    public long ramNeed(MemoryPlan plan) {
        return plan.ramBytes() + memory.firmwareStateBytes() + memory.stackReserve();
    }

    /** Arena bytes left over (negative: short by that much). */
    public long headroom(MemoryPlan plan) {
        return memory.arenaBytes() - plan.ramBytes();
    }

    public boolean fits(MemoryPlan plan) {
        return headroom(plan) >= 0;
    }

    static long alignUp(long n, long to) {
        return (n + to - 1) / to * to;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s, %d KiB RAM, %d KiB Flash)", name, core.key(), ramBytes() / 1024, flashBytes() / 1024);
    }
}
