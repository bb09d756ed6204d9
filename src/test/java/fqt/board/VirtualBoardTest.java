package fqt.board;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both virtual boards end to end: build, start QEMU, info, echo, close; each run takes a few seconds. */
@Tag("qemu")
class VirtualBoardTest {
    @ParameterizedTest
    @EnumSource(names = {"M4", "M7"})
    void answersInfoEchoesAndStopsQemuOnClose(CortexM core) throws Exception {
        long pid;
        List<ProcessHandle> watchdogs;
        try (Board board = Boards.virtual(core)) {
            pid = board.qemuPid();
            String pidArg = Long.toString(pid);
            watchdogs = ProcessHandle.current().children()
                    .filter(p -> p.info().arguments().map(a -> List.of(a).contains(pidArg)).orElse(false)).toList();
            assertEquals(1, watchdogs.size(), "one watchdog for QEMU pid " + pid);

            BoardInfo info = board.info();
            assertEquals(core == CortexM.M4 ? "cortex-m4f" : "cortex-m7", info.core());
            assertEquals(25_000_000, info.clockHz());
            assertEquals(4 << 20, info.ramBytes()); // sections.ld: 4 MiB of ZBT SSRAM at 0x20000000
            LinkedMemory linked = LinkedMemory.of(Firmware.appElf(core));
            assertEquals(linked.arenaBytes(), info.arenaCapacity(), "the arena the link left");
            assertEquals(linked.modelStoreBytes(), info.blobCapacity());
            assertEquals(Qemu.machine(core), info.board());
            assertEquals("0.1.0", info.firmwareVersion());
            assertEquals(buildIdOf(Firmware.appElf(core)), info.buildId());

            Random random = new Random(core.ordinal());
            for (int size : new int[] {0, 1, 255, 256, 1000, Link.MAX_PAYLOAD, Link.MAX_PAYLOAD}) { // 9.7 KB each way
                byte[] data = new byte[size];
                random.nextBytes(data);
                assertArrayEquals(data, board.echo(data), "echo of " + size + " bytes");
            }
            assertThrows(IllegalArgumentException.class, () -> board.echo(new byte[Link.MAX_PAYLOAD + 1]));
        }
        assertTrue(ProcessHandle.of(pid).isEmpty(), "QEMU (pid " + pid + ") is gone after close()");
        assertTrue(ProcessHandle.of(watchdogs.get(0).pid()).isEmpty(), "QEMU's watchdog is gone after close()");
    }

    @Test
    void aBoardThatStopsAnsweringFailsWithTheRequestAndPortNamed() throws Exception {
        try (Board board = Boards.virtual(CortexM.M4).stallLimit(java.time.Duration.ofSeconds(4))) {
            signal("STOP", board.qemuPid()); // QEMU frozen: the port stays open, nothing comes back
            try {
                BoardTimeoutException e = assertThrows(BoardTimeoutException.class, board::info);
                assertTrue(e.getMessage().contains("'info'") && e.getMessage().contains(board.port())
                        && e.getMessage().contains("limit 4000 ms"), e.getMessage());
            } finally {
                signal("CONT", board.qemuPid());
            }
        }
    }

    /** Typical mistakes say what happened: a handle replaced by a later deploy, a closed board. */
    @Test
    void aStaleDeviceAndAClosedBoardSaySo() {
        float[] x = new float[4 * 16];
        for (int i = 0; i < x.length; i++) x[i] = (i * 37 % 101) / 100f;
        fqt.data.Dataset data = new fqt.data.Dataset("tiny", new int[] {1, 4, 4}, 3, x, new int[] {0, 1, 2, 0});
        fqt.train.Training t = fqt.train.Fqt.train(fqt.nn.Models.mlp(data.shape(), 3, 1, 5)).calibration(4).progress(null);
        Board board = Boards.virtual(CortexM.M4);
        Device first;
        try (board) {
            first = board.deploy(t, data);
            Device second = board.deploy(t, data);
            String stale = assertThrows(IllegalStateException.class, () -> first.evaluate(data)).getMessage();
            assertTrue(stale.contains("stale") && stale.contains("last deploy"), stale);
            assertEquals(second.evaluate(data), second.evaluate(data), "the current device still works");
        }
        String closed = assertThrows(IllegalStateException.class, board::info).getMessage();
        assertTrue(closed.contains("closed"), closed);
        assertTrue(assertThrows(IllegalStateException.class, () -> board.deploy(t, data)).getMessage().contains("closed"));
    }

    static void signal(String name, long pid) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor());
    }

    /** The GNU build-id as {@code arm-none-eabi-readelf -n} prints it. */
    static String buildIdOf(Path elf) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("arm-none-eabi-readelf", "-n", elf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Matcher m = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }
}
