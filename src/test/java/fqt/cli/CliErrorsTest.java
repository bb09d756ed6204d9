package fqt.cli;

import static fqt.cli.CliHelpTest.run;
import static org.junit.jupiter.api.Assertions.*;

import fqt.cli.CliHelpTest.Run;
import org.junit.jupiter.api.Test;

/** A command line the user can fix: one line "fqt: <message>" on stderr, exit code 2, nothing run. */
class CliErrorsTest {
    static void assertOneLineError(Run r, String contains) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("fqt: "), r.err());
        assertTrue(r.err().contains(contains), r.err());
    }

    @Test
    void unknownOptionsNameTheNearestKnownOne() {
        assertOneLineError(run("train", "--lamda-min", "0.1"), "did you mean --lambda-min");
    }

    @Test
    void badValuesNameTheOptionAndWhatItTakes() {
        assertOneLineError(run("train", "--batch", "x"), "'--batch'");
        assertOneLineError(run("train", "--rounding", "up"), "floor|nearest|stochastic");
        assertOneLineError(run("train", "--precision", "int4"), "float32|mixed|uint8 or all");
        assertOneLineError(run("board", "train", "--error-by", "loss"), "sample-loss|layer-mean-error");
        assertOneLineError(run("import", "model.pt"), "--input-shape");
    }

    @Test
    void aGroupWithoutItsCommandAndAnUnknownCommand() {
        assertOneLineError(run("bench"), "train, curve, device");
        assertOneLineError(run("board"), "list");
        assertOneLineError(run("frob"), "'frob'");
    }

    @Test
    void failuresOfTheCommandItselfAreOneLineToo() {
        assertOneLineError(run("train", "--optimizer", "rmsprop", "--limit-train", "10", "--quiet"), "unknown optimizer 'rmsprop'");
        assertOneLineError(run("train", "--data", "mnist"), "--data-dir");
        assertOneLineError(run("train", "--limit-test", "-7", "--limit-train", "10", "--quiet"), "got -7");
        assertOneLineError(run("train", "--lr", "NaN", "--limit-train", "10", "--quiet"), "learning rate");
        assertOneLineError(run("board", "info", "--port", "/dev/nonexistent"), "no serial port /dev/nonexistent");
        assertOneLineError(run("sweep", "--lr", "abc"), "'abc'");
    }

    @Test
    void noCommandPrintsTheHelpAndFails() {
        Run r = run();
        assertEquals(2, r.code());
        assertTrue(r.out().contains("bench device"), r.out());
    }
}
