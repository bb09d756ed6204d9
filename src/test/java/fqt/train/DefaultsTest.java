package fqt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fqt.select.PartialUpdates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's defaults table is the code's: every field of TrainingConfig, with its default. */
class DefaultsTest {
    @Test
    void readmeTableIsTheDefaultsOfTheCode() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Map<String, String> table = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `(\\w+)` \\| ([^|]+) \\|$").matcher(readme);
        while (m.find()) table.put(m.group(1), m.group(2).trim());
        TrainingConfig d = TrainingConfig.DEFAULTS;
        PartialUpdates p = d.partialUpdates();
        Map<String, String> code = new LinkedHashMap<>();
        code.put("precision", d.precision().name());
        code.put("optimizer", d.optimizer().describe());
        code.put("rounding", d.rounding().name());
        code.put("partialUpdates", (p.ranking() ? "lambdaMin " : "full updates (lambdaMin ") + p.lambdaMin() + ", lambdaMax " + p.lambdaMax()
                + ", " + p.errorBy() + ", fullHead " + p.fullHead() + ")");
        code.put("errorRange", d.errorRange().name());
        code.put("alphaA", Float.toString(d.alphaA()));
        code.put("alphaE", Float.toString(d.alphaE()));
        code.put("batch", Integer.toString(d.batch()));
        code.put("epochs", Integer.toString(d.epochs()));
        code.put("seed", Long.toString(d.seed()));
        code.put("calibration", Integer.toString(d.calibration()));
        code.put("trainLast", d.trainLast() + (d.trainLast() == 0 ? " (every layer)" : ""));
        code.put("biasOnly", Boolean.toString(d.biasOnly()));
        code.put("loss", d.loss().name());
        code.put("gradients", d.gradients().name());
        assertEquals(TrainingConfig.class.getRecordComponents().length, code.size(), "a row per configuration field");
        assertEquals(code, table);
        String rates = "sgd " + Optimizer.defaultLearningRate("sgd") + ", standardized " + Optimizer.defaultLearningRate("standardized")
                + " (alphaNorm " + Defaults.ALPHA_NORM + "), momentum " + Optimizer.defaultLearningRate("momentum") + "\n(mu "
                + Defaults.MOMENTUM_MU + "), adam " + Optimizer.defaultLearningRate("adam") + " (beta1 " + Defaults.ADAM_BETA1 + ", beta2 "
                + Defaults.ADAM_BETA2 + ")";
        assertEquals(true, readme.contains(rates), "README states the default learning rates: " + rates);
    }
}
