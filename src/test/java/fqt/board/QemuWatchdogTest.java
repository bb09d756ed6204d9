package fqt.board;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No QEMU outlives its JVM: ended normally (shutdown hook) or killed outright (watchdog). */
@Tag("qemu")
class QemuWatchdogTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void qemuStopsWhenTheJvmEnds(boolean killOutright) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HoldBoard.class.getName())
                .redirectErrorStream(true).start();
        long qemuPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line = out.readLine();
            while (line != null && !line.startsWith("qemu ")) line = out.readLine();
            assertNotNull(line, "child JVM never reported its board");
            qemuPid = Long.parseLong(line.substring(5).trim());
            assertTrue(ProcessHandle.of(qemuPid).isPresent());
            if (killOutright) child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            else child.destroy(); // SIGTERM: the shutdown hook closes the board
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!terminated(qemuPid) && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(terminated(qemuPid), "QEMU (pid " + qemuPid + ") outlived its JVM");
    }

    /**
     * Gone, or a zombie: a zombie has exited, and reaping it is init's job once its parent JVM is
     * gone (ProcessHandle.isAlive() counts zombies as alive).
     */
    private static boolean terminated(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) return true;
        String s;
        try {
            s = Files.readString(stat);
        } catch (NoSuchFileException e) {
            return true;
        }
        return s.charAt(s.lastIndexOf(')') + 2) == 'Z'; // "pid (comm) S ..."
    }

    /** Opens a virtual M4 board, prints QEMU's pid and waits to be ended. */
    public static final class HoldBoard {
        public static void main(String[] args) throws InterruptedException {
            Board board = Boards.virtual(CortexM.M4);
            System.out.println("qemu " + board.qemuPid());
            System.out.flush();
            Thread.sleep(60_000);
            board.close();
        }
    }
}
