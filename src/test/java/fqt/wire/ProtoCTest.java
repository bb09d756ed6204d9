package fqt.wire;

import static org.junit.jupiter.api.Assertions.*;

import fqt.board.Firmware;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The C side of the protocol in the default suite: {@code make -C firmware/proto test} builds
 * firmware/proto/ with the system gcc and checks it against the same vectors as {@link WireVectorsTest}.
 */
class ProtoCTest {
    @Test
    void cSideMatchesTheVectorsAndKeepsItsSessionRules() throws Exception {
        Result r = make("proto", "test");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains(" passed, 0 failed"), r.output());
    }

    /** What {@code make -C firmware/<dir> args} printed, and its exit status. */
    record Result(int status, String output) {}

    static Result make(String dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("make", "-C", Firmware.dir().resolve(dir).toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}
