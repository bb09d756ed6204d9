package fqt.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Executes every notebook under notebooks/ headless with a real Jupyter (Debian's nbconvert) and the
 * "fqt-java" kernel that scripts/setup.sh installs; a failing cell fails the test, and so does an
 * output line that is a UUID, a DJL log line or a CUDA message, or any stderr output. Where a
 * notebook's text states a figure or a comparison, a cell beside it prints the figure as a line
 * {@code claim: name = value}, and {@link #CLAIMS} holds the bounds the text stands for. The
 * executed copy and its HTML export go to out/notebooks/ (ignored by git).
 */
@Tag("notebooks")
class NotebooksTest {
    static final Path NOTEBOOKS = Path.of("notebooks");
    static final Path OUT = Path.of("out", "notebooks");

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsTopToBottom() throws IOException {
        List<Path> books;
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            books = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(!books.isEmpty(), "no notebooks under " + NOTEBOOKS.toAbsolutePath());
        Files.createDirectories(OUT);
        return books.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> execute(nb)));
    }

    /**
     * Runs nbconvert on one notebook, once, with its default kernel start timeout (60 s; the
     * kernel's launcher, toolkit/kernel, removed the start-up races that once needed retries), then
     * exports the executed copy to HTML.
     */
    static void execute(Path notebook) throws Exception {
        Path executed = OUT.resolve(notebook.getFileName());
        runNbconvert(notebook);
        run("jupyter", "nbconvert", "--to", "html", "--output-dir", OUT.toString(), executed.toString());
        String json = Files.readString(executed, StandardCharsets.UTF_8);
        assertTrue(!json.contains("\"output_type\": \"error\""), notebook + " has a cell that failed; see " + executed);
        NotebookOutputs outputs = NotebookOutputs.read(json);
        assertEquals(List.of(), outputs.problems(), notebook + " shows output it should not; see " + executed);
        Consumer<Map<String, Double>> claims = CLAIMS.get(notebook.getFileName().toString());
        if (claims != null) claims.accept(outputs.claims());
    }

    /** What each notebook's text says, as bounds on the figures its cells print (the markdown they check is quoted). */
    static final Map<String, Consumer<Map<String, Double>>> CLAIMS = Map.of(
            "01-quickstart.ipynb", c -> {
                // "The arena fits even the paper's smallest boards, the nRF52840 (256 KiB) and the RP2040"
                between(c, "ram_bytes", 1, 256 * 1024);
                between(c, "nrf52840_headroom_bytes", 0, 256 * 1024);
                // "every weight is equal ... and so are the curves"
                between(c, "weights_differing", 0, 0);
                between(c, "accuracy_difference_points", 0, 0);
            },
            "02-quantization.ipynb", c -> {
                // "they use nearly every code: a per-tensor range wastes few codes here"
                between(c, "codes_used", 240, 256);
                between(c, "codes_for_90_percent", 200, 256);
                // "miss by more than half a step, up to a whole one"
                between(c, "max_error_steps", 0.5, 1.0);
            },
            "03-fqt-backprop.ipynb", c -> {
                for (int l = 0; l < 4; l++) {
                    // "within about 2 degrees ... in every layer", "MIXED ... drifts about as much"
                    between(c, "angle_exact_" + l, 0.05, 2.5);
                    between(c, "angle_mixed_" + l, c.get("angle_exact_" + l) - 0.3, c.get("angle_exact_" + l) + 0.3);
                    // "closer to float32 in the first convolution and a little further in the other three layers (up to 2.17 degrees)"
                    if (l == 0) between(c, "angle_fixed_0", 0, c.get("angle_exact_0"));
                    else between(c, "angle_fixed_" + l, c.get("angle_exact_" + l), c.get("angle_exact_" + l) + 0.5);
                }
                between(c, "angle_exact_3", 0, 1);   // "0.3 in the head"
                // "the three modes end within a few points of each other in test accuracy"
                double lo = Math.min(c.get("test_acc_FLOAT32"), Math.min(c.get("test_acc_MIXED"), c.get("test_acc_UINT8")));
                for (String p : new String[] {"FLOAT32", "MIXED", "UINT8"}) between(c, "test_acc_" + p, lo, lo + 0.05);
            },
            // "column rule ... column k what the selector actually chose: they agree"
            "04-partial-updates.ipynb", c -> {
                between(c, "layers_where_rule_and_k_differ", 0, 0);
                // "The second convolution dominates: its weight gradient and its error propagation each cost as much as its
                // forward pass ... The first convolution only computes a weight gradient"
                between(c, "conv2_backward_over_forward", 1.99, 2.01);
                between(c, "conv1_backward_over_forward", 0.99, 1.01);
                // "it sits above lambda_min" (the update ratio, lambda_min 1 included: there it is 1 exactly)
                between(c, "update_fraction_above_lambda_min", 0, 1);
            },
            "05-transfer-learning.ipynb", c -> {
                between(c, "target_acc_scratch", 0.5, 1);
                double scratch = c.get("target_acc_scratch");
                // "training the last two layers or all four beats training from scratch, but by only one to two points"
                for (String s : new String[] {"last_2", "all_4"}) between(c, "target_acc_" + s, scratch + 0.005, scratch + 0.025);
                // "The head alone and bias-only updates trail training from scratch by more than ten points"
                for (String s : new String[] {"head_only", "bias_only"}) between(c, "target_acc_" + s, 0, scratch - 0.10);
                // "the source accuracy ... moves by less than four points in every setting"
                for (String s : new String[] {"head_only", "last_2", "all_4", "bias_only"}) between(c, "forgetting_points_" + s, -4, 4);
                between(c, "forgetting_points_head_only", 0, 0);
            },
            "06-ablation.ipynb", c -> {
                // "implied power ... For the RP2040 it comes out below one milliwatt"
                between(c, "rp2040_implied_mw", 0, 1);
                // "every run is already in the CSV, so nothing is trained and the table is read back"
                between(c, "resumed_rows_same", 1, 1);
                // "The runs give the thread pool's results to the last digit"
                between(c, "spark_rows_same", 1, 1);
            },
            "07-paper-replication.ipynb", c -> {
                for (String p : new String[] {"UINT8", "MIXED"}) {
                    // "the counted backward MACs fall by more than the paper's 5x in both precisions, for less than half an accuracy point"
                    between(c, "mac_reduction_" + p, 5, 100);
                    between(c, "accuracy_cost_points_" + p, -0.5, 0.5);
                    // "the measured backward pass gets faster in both precisions, but by less than its MAC reduction"
                    // (wall time: the machine's load moves it, so only this much is claimed)
                    between(c, "measured_speedup_" + p, 1, 1.1 * c.get("mac_reduction_" + p));
                }
                // "UINT8 training of the small CNN at batch 1 takes about 30 % of FLOAT32's RAM and fits the nRF52840 with room to
                // spare; across the table UINT8 never needs more than two thirds of FLOAT32's RAM"
                between(c, "small_cnn_uint8_vs_float32_batch1", 0.25, 0.35);
                between(c, "small_cnn_uint8_batch1_headroom_nrf52840", 1, 256 * 1024);
                between(c, "uint8_vs_float32_max", 0, 2.0 / 3);
            },
            "08-real-board.ipynb", c -> between(c, "weights_differing", 0, 0),
            "09-graph-models.ipynb", c -> {
                // "Both imports give the same toolkit model, layer for layer and weight for weight"
                between(c, "onnx_layers_differing", 0, 0);
                between(c, "onnx_max_abs_diff", 0, 1e-4);
                // "Every weight ... of the board's model equals the simulator's, so the two curves are one"
                between(c, "weights_differing", 0, 0);
                between(c, "accuracy_difference_points", 0, 0);
                // "lift the accuracy on noisy images by more than twenty points ... about a third of the trained structures"
                between(c, "finetune_gain_points", 20, 100);
                between(c, "update_fraction", 0.25, 0.45);
                // "Inverted images ... told apart almost perfectly; rotated and noisy images much less"
                between(c, "auc_INVERTED", 0.99, 1);
                for (String s : new String[] {"auc_ROTATED_90", "auc_NOISY"}) between(c, s, 0.6, 0.9);
            });

    static void between(Map<String, Double> claims, String name, double lo, double hi) {
        Double v = claims.get(name);
        assertNotNull(v, "no line 'claim: " + name + " = ...' in the notebook's output; claims: " + claims);
        assertTrue(v >= lo && v <= hi, name + " = " + v + ", the notebook's text needs it in [" + lo + ", " + hi + "]");
    }

    static void runNbconvert(Path notebook) throws Exception {
        run("jupyter", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=fqt-java",
                "--ExecutePreprocessor.timeout=1200",
                "--output-dir", OUT.toString(), notebook.toString());
    }

    static void run(String... command) throws Exception {
        Path log = Files.createTempFile("nbconvert", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 30 minutes");
        }
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + tail(out));
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
