package fqt.cli;

import static fqt.cli.CliErrorsTest.assertOneLineError;
import static fqt.cli.CliHelpTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import fqt.board.BoardProfile;
import fqt.board.Boards;
import fqt.memory.Memory;
import fqt.memory.MemoryPlan;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.train.Defaults;
import fqt.train.Fqt;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./fqt memory}: one JSON line per precision, batch and board, each figure the plan's and the profile's. */
class MemoryCommandTest {
    @Test
    void everyPrecisionAndBatchAgainstABoard() {
        CliHelpTest.Run r = run("memory", "--model", "small-cnn", "--precision", "all", "--batch", "1,16", "--board", "nrf52840", "--json");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(6, lines.size(), r.out());
        BoardProfile nrf = Boards.profile("nrf52840");
        int i = 0;
        for (Precision p : Precision.values()) {
            for (int batch : new int[] {1, 16}) {
                JsonObject o = JsonParser.parseString(lines.get(i++)).getAsJsonObject();
                var model = Models.smallCnn(new int[] {1, 28, 28}, 10, Defaults.SEED);
                MemoryPlan plan = Memory.plan(model, Fqt.train(model).precision(p).batch(batch));
                assertEquals(p.name(), o.get("precision").getAsString());
                assertEquals(batch, o.get("batch").getAsInt());
                assertEquals(plan.ramBytes(), o.get("ram_bytes").getAsLong());
                assertEquals(plan.flashBytes(), o.get("flash_bytes").getAsLong());
                assertEquals("nrf52840", o.get("board").getAsString());
                assertEquals(nrf.ramNeed(plan), o.get("ram_need").getAsLong());
                assertEquals(nrf.ramBytes(), o.get("ram_size").getAsLong());
                assertEquals(nrf.headroom(plan), o.get("headroom_bytes").getAsLong());
                assertEquals(plan.fits(nrf), o.get("fits").getAsBoolean());
            }
        }
    }

    @Test
    void everyBoardByDefaultAndOneLineErrors() {
        CliHelpTest.Run r = run("memory", "--train-last", "1", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(Boards.profiles().size(), r.out().lines().count(), r.out());
        assertOneLineError(run("memory", "--board", "esp32"), "unknown board profile 'esp32': use nrf52840, rp2040");
        assertOneLineError(run("train", "--batch", "1,16", "--limit-train", "10", "--quiet"), "one batch size");
    }
}
