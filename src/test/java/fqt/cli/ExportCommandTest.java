package fqt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.train.Fqt;
import fqt.wire.SavedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fqt train --save FILE} writes a model image; {@code ./fqt export --c MODEL.bin} writes the C files by the
 * file's name or --name, and refuses a file that is no model image in one line naming it.
 */
class ExportCommandTest {
    @TempDir Path dir;

    @Test
    void trainSavesAModelThatLoadsWithItsSettings() {
        Path file = dir.resolve("cnn.bin");
        CliHelpTest.Run run = CliHelpTest.run("train", "--precision", "mixed", "--limit-train", "64", "--limit-test", "32", "--batch", "4", "--seed", "5",
                "--quiet", "--json", "--save", file.toString());
        assertEquals(0, run.code(), run.err());
        SavedModel saved = SavedModel.load(file);
        assertEquals(Precision.MIXED, saved.config().precision());
        assertEquals(5, saved.config().seed());
        assertEquals(4, saved.config().batch());
        assertTrue(saved.model().quantized());

        assertEquals(0, CliHelpTest.run("train", "--precision", "all", "--limit-train", "16", "--limit-test", "8", "--quiet",
                "--save", file.toString()).code());
        assertEquals(Precision.FLOAT32, SavedModel.load(dir.resolve("cnn-float32.bin")).config().precision());
        assertEquals(Precision.MIXED, SavedModel.load(dir.resolve("cnn-mixed.bin")).config().precision());
        assertEquals(Precision.UINT8, SavedModel.load(dir.resolve("cnn-uint8.bin")).config().precision());
    }

    @Test
    void writesTheHeaderAndSourceOfASavedModel() throws Exception {
        var model = Models.mlp(new int[] {1, 4, 4}, 3, 1, 5);
        Path file = new SavedModel(model, Fqt.train(model).precision(Precision.FLOAT32).config()).save(dir.resolve("tiny-mlp.bin"));

        CliHelpTest.Run run = CliHelpTest.run("export", "--c", file.toString(), "--out", dir.resolve("c").toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.readString(dir.resolve("c/tiny_mlp.h")).contains("#define TINY_MLP_LAYERS 4"));
        assertTrue(Files.readString(dir.resolve("c/tiny_mlp.c")).contains("const uint8_t tiny_mlp_blob[TINY_MLP_BLOB_BYTES]"));

        assertEquals(0, CliHelpTest.run("export", "--c", file.toString(), "--out", dir.toString(), "--name", "net").code());
        assertTrue(Files.exists(dir.resolve("net.h")) && Files.exists(dir.resolve("net.c")));

        byte[] corrupt = Files.readAllBytes(file);
        corrupt[corrupt.length / 2] ^= 1;
        Path bad = Files.write(dir.resolve("bad.bin"), corrupt);
        CliHelpTest.Run refused = CliHelpTest.run("export", "--c", bad.toString(), "--out", dir.resolve("bad").toString());
        assertEquals(2, refused.code());
        assertEquals("fqt: " + bad + ": model blob CRC mismatch", refused.err().strip());
        assertFalse(Files.exists(dir.resolve("bad")), "nothing written for a corrupt file");
    }
}
