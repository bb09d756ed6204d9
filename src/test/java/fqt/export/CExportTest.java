package fqt.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.data.DataSplit;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.nn.WeightLayer;
import fqt.testing.TestData;
import fqt.train.Fqt;
import fqt.wire.SavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C export compiles for the Cortex-M with -Wall -Wextra -Werror, and on the host its array is
 * the saved file byte for byte, 4-aligned, loaded by the firmware core's fqt_model_blob_load, which
 * then holds the weights, biases and parameters the header and the per-layer arrays state.
 */
class CExportTest {
    static final Path FIRMWARE = Path.of("firmware").toAbsolutePath();
    static final List<String> WARNINGS = List.of("-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror");

    @TempDir Path dir;

    @Test
    void aTrainedUint8ModelAsC() throws Exception {
        DataSplit data = TestData.fashionMnist();
        var run = Fqt.train(Models.smallCnn(data.shape(), 10)).precision(Precision.UINT8).trainLast(2).batch(8).progress(null)
                .fit(data.train().take(300), null);
        checkExport(SavedModel.of(run), "fashion_cnn");
    }

    @Test
    void aFloat32ModelAsC() throws Exception {
        var model = Models.mlp(new int[] {1, 28, 28}, 10, 3, 16);
        checkExport(new SavedModel(model, Fqt.train(model).precision(Precision.FLOAT32).config()), "mlp");
    }

    @Test
    void namesAreCIdentifiers() {
        assertEquals("fashion_cnn_v2", CExport.nameOf(Path.of("out/fashion-cnn v2.bin")));
        assertEquals("_8bit", CExport.nameOf(Path.of("8bit.bin")));
        var model = Models.mlp(new int[] {1, 2, 2}, 2, 1, 2);
        SavedModel saved = new SavedModel(model, Fqt.train(model).precision(Precision.FLOAT32).config());
        assertThrows(IllegalArgumentException.class, () -> CExport.write(saved, dir, "my-model"));
    }

    private void checkExport(SavedModel saved, String name) throws Exception {
        Path file = saved.save(dir.resolve(name + ".bin"));
        List<Path> written = CExport.write(saved, dir.resolve("c"), name);
        assertEquals(List.of(dir.resolve("c/" + name + ".h"), dir.resolve("c/" + name + ".c")), written);
        String header = Files.readString(written.get(0));
        String prefix = name.toUpperCase();
        assertTrue(header.contains("#define " + prefix + "_BLOB_BYTES " + Files.size(file) + "u"), header);
        assertTrue(header.contains("#define " + prefix + "_CLASSES 10\n"), header);

        for (String cpu : List.of("cortex-m4", "cortex-m0plus")) {
            List<String> cc = new ArrayList<>(List.of("arm-none-eabi-gcc", "-mcpu=" + cpu, "-mthumb"));
            cc.addAll(WARNINGS);
            cc.addAll(List.of("-c", written.get(1).toString(), "-o", dir.resolve(name + "-" + cpu + ".o").toString()));
            run(cc);
        }

        run(List.of("make", "-s", "-C", FIRMWARE.toString(), "host"));
        Path check = Files.writeString(dir.resolve("check.c"), checkProgram(saved, name));
        List<String> cc = new ArrayList<>(List.of("gcc", "-ffp-contract=off", "-I" + FIRMWARE.resolve("core"), "-I" + dir.resolve("c")));
        cc.addAll(WARNINGS);
        cc.addAll(List.of(check.toString(), written.get(1).toString()));
        try (Stream<Path> objects = Files.list(FIRMWARE.resolve("build/host/core"))) {
            objects.filter(p -> p.toString().endsWith(".o")).sorted().forEach(p -> cc.add(p.toString()));
        }
        cc.addAll(List.of("-lm", "-o", dir.resolve("check").toString()));
        run(cc);
        String out = run(List.of(dir.resolve("check").toString(), file.toString()));
        assertTrue(out.startsWith("ok"), out);
    }

    /** A host program that compares the exported arrays and macros with the file and with the model the C core loads from them. */
    private static String checkProgram(SavedModel saved, String name) {
        String p = name.toUpperCase() + "_";
        boolean q = saved.model().quantized();
        StringBuilder s = new StringBuilder("""
                #include <stdio.h>
                #include <string.h>
                #include "fqt_status.h"
                #include "model_blob.h"
                #include "%1$s.h"

                #define CHECK(c) do { if (!(c)) { printf("failed: %%s\\n", #c); return 1; } } while (0)

                static union { int64_t align; uint8_t bytes[16L << 20]; } arena;
                static uint8_t file[%2$sBLOB_BYTES + 1];
                static fqt_model m;
                static fqt_trainer t;

                int main(int argc, char **argv) {
                    FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
                    size_t n, used;
                    CHECK(f != NULL);
                    n = fread(file, 1, sizeof file, f);
                    fclose(f);
                    CHECK(n == %2$sBLOB_BYTES);
                    CHECK(memcmp(file, %1$s_blob, n) == 0);
                    CHECK((uintptr_t) %1$s_blob %% 4 == 0);
                    CHECK(fqt_model_blob_load(%1$s_blob, %2$sBLOB_BYTES, arena.bytes, sizeof arena.bytes, &m, &t, &used) == FQT_OK);
                    CHECK(m.n_layers == %2$sLAYERS && m.classes == %2$sCLASSES && m.input_size == %2$sINPUT_SIZE);
                    CHECK(m.input_rank == %2$sINPUT_RANK && m.input_shape[2] == %2$sINPUT_DIM2);
                """.formatted(name, p));
        if (q) s.append("    CHECK(m.input_params->scale == %1$sINPUT_SCALE && m.input_params->zero_point == %1$sINPUT_ZERO_POINT);\n".formatted(p));
        for (WeightLayer w : saved.model().weightLayers()) {
            String l = "m.layers[" + w.index() + "]", d = p + "L" + w.index() + "_", a = name + "_l" + w.index() + "_";
            s.append("    CHECK(%1$s.kind == %2$sKIND && fqt_weights_count(&%1$s.w) == %2$sWEIGHTS && %1$s.w.structures == %2$sSTRUCTURES);\n".formatted(l, d));
            s.append("    CHECK(%1$s.frozen == %2$sFROZEN && memcmp(%1$s.w.bias, %3$sbias, sizeof %3$sbias) == 0);\n".formatted(l, d, a));
            if (q) {
                s.append("    CHECK(memcmp(%1$s.w.q, %3$sweights, %2$sWEIGHTS) == 0);\n".formatted(l, d, a));
                s.append("    CHECK(%1$s.w.params->scale == %2$sWEIGHT_SCALE && %1$s.w.params->zero_point == %2$sWEIGHT_ZERO_POINT);\n".formatted(l, d));
                s.append("    CHECK(%1$s.out->params.scale == %2$sOUTPUT_SCALE && %1$s.out->params.zero_point == %2$sOUTPUT_ZERO_POINT);\n".formatted(l, d));
            } else {
                s.append("    CHECK(memcmp(%1$s.w.real, %2$sweights, sizeof %2$sweights) == 0);\n".formatted(l, a));
            }
        }
        return s.append("    printf(\"ok, arena %lu bytes\\n\", (unsigned long) used);\n    return 0;\n}\n").toString();
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
