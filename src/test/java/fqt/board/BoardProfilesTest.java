package fqt.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.memory.Memory;
import fqt.memory.MemoryPlan;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.train.Fqt;
import fqt.train.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The board profiles against the firmware linked for them (firmware/port/boards/*.ld): the stored
 * figures (fqt/board/profiles.csv) are the link's, and the linker agrees with Memory.plan on what
 * fits, to the byte. Links only (a few seconds each the first time); no QEMU.
 */
class BoardProfilesTest {
    private static final int[] SHAPE = {1, 28, 28};

    /** The small CNN, UINT8, all four layers trained (the reference paper's setting), at a batch size. */
    static Training smallCnn(int batch) {
        return Fqt.train(Models.smallCnn(SHAPE, 10, 1)).precision(Precision.UINT8).batch(batch);
    }

    @Test
    void theStoredProfilesAreWhatTheLinkLeaves() {
        StringBuilder linkedLines = new StringBuilder(), storedLines = new StringBuilder();
        for (BoardProfile p : Boards.profiles()) {
            LinkedMemory linked = LinkedMemory.of(Firmware.appElf(p));
            linkedLines.append(Boards.profileLine(p, linked)).append('\n');
            if (p.virtualMachine() != null) {
                LinkedMemory v = LinkedMemory.of(Firmware.virtualAppElf(p));
                assertEquals(new LinkedMemory(v.ramOrigin(), v.ramBytes(), linked.flashOrigin(), v.flashBytes(), v.stackReserve(),
                        v.firmwareStateBytes(), v.codeBytes(), v.arenaBytes(), v.modelStoreBytes()), linked,
                        p.name() + "'s virtual board has its memory but for where Flash starts");
                assertEquals(0, v.flashOrigin(), p.name() + "'s virtual board has Flash where the MPS2 machines' code memory is");
            }
            storedLines.append(Boards.profileLine(p, p.memory())).append('\n');
            // sections.ld's layout: state, 8-aligned arena and stack fill the arena's RAM, which holds data and bss too here.
            if (!p.name().equals("teensy41")) {
                assertEquals(p.ramBytes(), BoardProfile.alignUp(linked.firmwareStateBytes(), 8) + linked.arenaBytes() + linked.stackReserve(), p.name());
            }
        }
        assertEquals(linkedLines.toString(), storedLines.toString(),
                "toolkit/resources/fqt/board/profiles.csv differs from the link: put the expected lines there");
        assertEquals(List.of("nrf52840", "rp2040", "teensy41", "stm32f746", "stm32l4r5"), Boards.profiles().stream().map(BoardProfile::name).toList());
        assertEquals(256 * 1024, Boards.profile("nrf52840").ramBytes());
        assertEquals(264 * 1024, Boards.profile("rp2040").ramBytes());
        assertEquals(1024 * 1024, Boards.profile("teensy41").ramBytes());
        assertEquals(512 * 1024, Boards.profile("teensy41").arenaBytes(), "the Teensy's arena is all of its OCRAM");
        assertEquals(320 * 1024, Boards.profile("stm32f746").ramBytes());
        assertEquals(640 * 1024, Boards.profile("stm32l4r5").ramBytes());
    }

    /** The plan's headroom is the linker's: a plan one byte over overflows RAM by one byte; the plan itself links. */
    @Test
    void theLinkerAgreesWithThePlanToTheByte() {
        for (String name : List.of("nrf52840", "rp2040")) {
            BoardProfile p = Boards.profile(name);
            for (int batch : new int[] {1, 16}) {
                MemoryPlan plan = Memory.plan(smallCnn(batch).model(), smallCnn(batch));
                assertTrue(plan.fits(p), name + ", batch " + batch + ": " + plan.ramBytes() + " B of arena in " + p.arenaBytes());
                assertEquals(0, Firmware.linkCheck(p, plan.ramBytes()).exitStatus(), name + " links the plan's arena at batch " + batch);
            }
            assertEquals(0, Firmware.linkCheck(p, p.arenaBytes()).exitStatus(), name + " links its whole arena");
            assertEquals(1, overflow(Firmware.linkCheck(p, p.arenaBytes() + 1)), name + ": one byte more overflows by one");
        }
        Training all = Fqt.train(Models.smallCnn(SHAPE, 10, 1)).precision(Precision.FLOAT32);
        MemoryPlan big = Memory.plan(all.model(), all);
        BoardProfile nrf = Boards.profile("nrf52840");
        assertFalse(big.fits(nrf));
        assertEquals(-nrf.headroom(big), overflow(Firmware.linkCheck(nrf, big.ramBytes())), "the linker's shortfall is the plan's");
    }

    /** README's table of the profiles is this one (the stored figures, which the test above keeps equal to the link). */
    @Test
    void theReadmeTableIsTheProfiles() throws Exception {
        StringBuilder t = new StringBuilder("| profile | core | RAM | Flash | firmware state | stack reserve | arena left | blob capacity | virtual board |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (BoardProfile p : Boards.profiles()) {
            LinkedMemory m = p.memory();
            t.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %,d | %,d | %s |%n", p.name(), p.core().key(), m.ramBytes(),
                    m.flashBytes(), m.firmwareStateBytes(), m.stackReserve(), m.arenaBytes(), m.modelStoreBytes(),
                    p.virtualMachine() == null ? "link check only"
                            : "QEMU " + p.virtualMachine() + (m.flashOrigin() == 0 ? "" : ", Flash at 0x0")));
        }
        String readme = Files.readString(Path.of("README.md"));
        String start = "<!-- board profiles: BoardProfilesTest -->\n", end = "<!-- end of board profiles -->";
        int from = readme.indexOf(start), to = readme.indexOf(end);
        assertTrue(from >= 0 && to > from, "README.md has the board profiles table");
        assertEquals(t.toString(), readme.substring(from + start.length(), to), "README.md's board profiles: put this table there");
    }

    @Test
    void compareTabulatesEveryBoard() {
        Training t = smallCnn(16);
        MemoryPlan plan = Memory.plan(t.model(), t);
        Table table = Memory.compare(t.model(), t, Boards.profiles());
        assertEquals(Boards.profiles().size(), table.rowCount());
        for (int i = 0; i < table.rowCount(); i++) {
            BoardProfile p = Boards.profile(table.stringColumn("board").get(i));
            assertEquals(plan.ramBytes() + p.memory().firmwareStateBytes() + p.memory().stackReserve(), table.longColumn("ram_need").get(i));
            assertEquals(p.arenaBytes() - plan.ramBytes(), table.longColumn("headroom").get(i));
            assertEquals(p.fits(plan), table.booleanColumn("fits").get(i));
        }
    }

    @Test
    void profilesByNameAndCustomOnes() {
        assertSame(Boards.profile("nrf52840"), Boards.profile("NRF52840"));
        String msg = assertThrows(IllegalArgumentException.class, () -> Boards.profile("esp32")).getMessage();
        assertTrue(msg.contains("esp32") && msg.contains("nrf52840") && msg.contains("stm32l4r5"), msg);

        BoardProfile nrf = Boards.profile("nrf52840");
        BoardProfile same = BoardProfile.custom("my-nrf", CortexM.M4, nrf.ramBytes(), nrf.flashBytes(), nrf.memory().stackReserve());
        assertEquals(nrf.arenaBytes(), same.arenaBytes(), "a custom profile of the same memory leaves what the link leaves");
        assertEquals(nrf.memory().modelStoreBytes(), same.memory().modelStoreBytes());
        String tiny = assertThrows(IllegalArgumentException.class, () -> BoardProfile.custom("tiny", CortexM.M0PLUS, 32 * 1024, 256 * 1024, 4096))
                .getMessage();
        assertTrue(tiny.contains("tiny") && tiny.contains("32,768 B of RAM"), tiny);
        String noVm = assertThrows(IllegalArgumentException.class, () -> Boards.virtual(Boards.profile("teensy41"))).getMessage();
        assertTrue(noVm.contains("teensy41") && noVm.contains("no virtual board"), noVm);
    }

    /** The bytes ld says RAM overflowed by; fails when the link did not overflow. */
    private static long overflow(Firmware.LinkCheck c) {
        assertTrue(c.exitStatus() != 0, "the link should fail:\n" + c.output());
        Matcher m = Pattern.compile("region `RAM' overflowed by (\\d+) bytes?").matcher(c.output());
        assertTrue(m.find(), c.output());
        return Long.parseLong(m.group(1));
    }
}
