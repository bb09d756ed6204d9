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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The README's memory table of the reference architectures is {@link Memory#compare}, recomputed here. */
public class ArchitectureMemoryTest {
    public static Map<String, Model> architectures() {
        int[] s = {1, 28, 28};
        Map<String, Model> m = new LinkedHashMap<>();
        m.put("small-cnn", Models.smallCnn(s, 10));
        m.put("resnet8", Models.resnet8(s, 10));
        m.put("ds-cnn", Models.dsCnn(s, 10));
        m.put("mobilenet-v1", Models.mobileNetV1(s, 10));
        m.put("mobilenet-v2", Models.mobileNetV2(s, 10));
        m.put("autoencoder", Models.autoencoder(784, 64, 16));
        return m;
    }

    /** Markdown rows: model, weights, then RAM / Flash per precision for every layer trained and for the last two. */
    static String markdown() {
        Map<String, Model> models = architectures();
        TrainingConfig all = TrainingConfig.DEFAULTS;
        TrainingConfig last2 = Fqt.train(models.get("small-cnn")).trainLast(2).config();
        Precision[] p = {Precision.UINT8, Precision.MIXED, Precision.FLOAT32};
        Table a = Memory.compare(models, all, p), b = Memory.compare(models, last2, p);
        StringBuilder sb = new StringBuilder("| model | weights | UINT8 | MIXED | FLOAT32 | UINT8, last 2 | MIXED, last 2 | FLOAT32, last 2 |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int r = 0; r < a.rowCount(); r += p.length) {
            sb.append("| ").append(a.stringColumn("model").get(r)).append(" | ").append(String.format(Locale.ROOT, "%,d", a.longColumn("weights").get(r)));
            for (Table t : new Table[] {a, b}) {
                for (int k = 0; k < p.length; k++) {
                    sb.append(String.format(Locale.ROOT, " | %,d / %,d", t.longColumn("ram_bytes").get(r + k), t.longColumn("flash_bytes").get(r + k)));
                }
            }
            sb.append(" |\n");
        }
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
