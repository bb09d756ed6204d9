package fqt.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.train.Fqt;
import fqt.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The README's memory table of the reference architectures is {@link Memory#compare}, recomputed here. */
public class ArchitectureMemoryTest {
    public static Map<String, Model> architectures() {
        return Models.references(new int[] {1, 28, 28}, 10);
    }

    static final int[] BATCHES = {1, 16};

    /**
     * Markdown: RAM per precision, the UINT8 / FLOAT32 ratio and Flash for every reference
     * architecture, all layers trained and the last two, batch 1 and 16; then the paper's one
     * comparable figure beside ours for the same input.
     */
    static String markdown() {
        Table t = Memory.compare(architectures(), TrainingConfig.DEFAULTS, BATCHES, 0, 2);
        StringBuilder sb = new StringBuilder("| model | trained | batch | weights | UINT8 | MIXED | FLOAT32 | UINT8 / FLOAT32 | Flash UINT8 / FLOAT32 |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int r = 0; r < t.rowCount(); r++) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %,d | %,d | %,d | %,d | %.2f | %,d / %,d |%n",
                    t.stringColumn("model").get(r), t.stringColumn("trained").get(r), t.intColumn("batch").get(r), t.longColumn("weights").get(r),
                    t.longColumn("uint8_ram").get(r), t.longColumn("mixed_ram").get(r), t.longColumn("float32_ram").get(r),
                    t.doubleColumn("uint8_vs_float32").get(r), t.longColumn("uint8_flash").get(r), t.longColumn("float32_flash").get(r)));
        }
        var ratio = t.doubleColumn("uint8_vs_float32");
        sb.append(String.format(Locale.ROOT, "%nUINT8 needs %.0f-%.0f %% of FLOAT32's RAM: least where weights and their gradients dominate "
                + "(small CNN, autoencoder), most where features do (resnet8, all layers).%n", 100 * ratio.min(), 100 * ratio.max()));
        Table cifar = Memory.compare(Map.of("mobilenet-v2", Models.mobileNetV2(new int[] {3, 32, 32}, 10)), TrainingConfig.DEFAULTS, BATCHES, 2);
        sb.append(String.format(Locale.ROOT, "%nBeside the paper: of the architectures here it reports RAM for one, its MobileNetV2-style network fine-tuned (last layers, uint8) "
                + "on CIFAR-10 on a Cortex-M7: 339.7 KB RAM, 361.1 KB Flash. Our mobilenet-v2 on 3x32x32 inputs, last two layers, UINT8: %,d B at batch 1, %,d B at batch 16, "
                + "%,d B of Flash (a far smaller network: %,d weights). The paper reports no float32 RAM, so it has no ratio to set beside ours; "
                + "its memory claim is against related work.%n",
                cifar.longColumn("uint8_ram").get(0), cifar.longColumn("uint8_ram").get(1), cifar.longColumn("uint8_flash").get(0), cifar.longColumn("weights").get(0)));
        return sb.toString();
    }

    @Test
    void readmeTableIsTheComputedPlan() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String begin = "<!-- memory table: ArchitectureMemoryTest -->\n", end = "<!-- end of memory table -->";
        int i = readme.indexOf(begin), j = readme.indexOf(end);
        assertTrue(i >= 0 && j > i, "README.md lacks the memory table markers");
        assertEquals(markdown(), readme.substring(i + begin.length(), j), "regenerate the README table: ArchitectureMemoryTest.markdown()");
    }

    @Test
    void theLifetimePlanNeverSharesBytesBetweenLiveBuffers() {
        for (Model m : architectures().values()) {
            for (Precision p : Precision.values()) {
                for (int last : new int[] {0, 2}) {
                    var c = Fqt.train(m).precision(p).trainLast(last).config();
                    MemoryPlanTest.assertLifetimesHold(ActivationPlan.of(m, c));
                }
            }
        }
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
