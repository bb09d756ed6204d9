package fqt.board;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The startup code under QEMU semihosting: firmware/port/mps2/test/startup_test.c exits 0 when all its checks pass. */
@Tag("qemu")
class StartupTest {
    @ParameterizedTest
    @EnumSource(names = {"M4", "M7"})
    void copiesDataZeroesBssEnablesFpuAndCountsInstructions(CortexM core, @TempDir Path tmp) throws Exception {
        // QEMU starts with zeroed RAM; filling its first 64 KiB with 0xA5 makes the .bss check mean something.
        byte[] fill = new byte[64 * 1024];
        Arrays.fill(fill, (byte) 0xA5);
        Path ram = Files.write(tmp.resolve("ram-a5.bin"), fill);
        Qemu.Run run = Qemu.runToExit(core, Firmware.startupTestElf(core), Duration.ofSeconds(20),
                "-device", "loader,file=" + ram + ",addr=0x20000000");
        assertEquals(0, run.exitStatus(), "failed checks (bits in startup_test.c); output:\n" + run.output());
        assertTrue(run.output().contains("spin of 200000 instructions measured as"), run.output());
    }
}
