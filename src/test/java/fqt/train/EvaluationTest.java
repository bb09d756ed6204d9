package fqt.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.nn.Flatten;
import fqt.nn.Linear;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.plot.Charts;
import fqt.plot.Plots;
import fqt.testing.TestData;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;
import tech.tablesaw.api.Table;

/** Model.predict, TrainingRun.predict/evaluate and the Evaluation's confusion matrix, table and chart. */
class EvaluationTest {
    /** Flatten + Linear 3 -> 4 with identity weights: a one-hot input at position k is predicted as class k; class 3 never. */
    static Model argmaxModel() {
        Model m = Model.of(new int[] {1, 1, 3}, new Flatten(), new Linear(3, 4));
        float[] w = new float[12];
        for (int k = 0; k < 3; k++) w[k * 3 + k] = 1f;
        m.layer(1).weights().set(w, new float[4], "identity");
        return m;
    }

    /** Samples whose predicted class (the hot position) and label are these pairs. */
    static Dataset pairs(int[][] predictedAndLabel) {
        float[] x = new float[3 * predictedAndLabel.length];
        int[] labels = new int[predictedAndLabel.length];
        for (int i = 0; i < labels.length; i++) {
            x[3 * i + predictedAndLabel[i][0]] = 1f;
            labels[i] = predictedAndLabel[i][1];
        }
        return new Dataset("pairs", new int[] {1, 1, 3}, 4, x, labels);
    }

    @Test
    void confusionMatrixAndPerClassTableOfKnownPredictions() {
        // (predicted, true): class 0 twice right and once taken for 1... see the matrix below.
        Dataset data = pairs(new int[][] {{0, 0}, {0, 0}, {1, 0}, {2, 2}, {1, 1}, {0, 2}});
        Model m = argmaxModel();
        TrainingConfig c = Fqt.train(m).precision(Precision.FLOAT32).config();
        assertArrayEquals(new int[] {0, 0, 1, 2, 1, 0}, m.predict(data, c.evaluationContext()));
        assertEquals(2, m.predict(data.sample(3), c.evaluationContext()));

        Evaluation e = Evaluation.of(m, c, data);
        assertArrayEquals(new int[][] {{2, 1, 0, 0}, {0, 1, 0, 0}, {1, 0, 1, 0}, {0, 0, 0, 0}}, e.confusion());
        assertEquals(4, e.correct());
        assertEquals(4 / 6.0, e.accuracy());
        Table t = e.perClass();
        assertEquals(Arrays.asList("class", "samples", "correct", "accuracy", "precision", "recall"), t.columnNames());
        assertArrayEquals(new int[] {3, 1, 2, 0}, t.intColumn("samples").asIntArray());
        assertArrayEquals(new int[] {2, 1, 1, 0}, t.intColumn("correct").asIntArray());
        assertArrayEquals(new double[] {2 / 3.0, 1.0, 0.5, Double.NaN}, t.doubleColumn("recall").asDoubleArray());
        assertArrayEquals(new double[] {2 / 3.0, 1.0, 0.5, Double.NaN}, t.doubleColumn("accuracy").asDoubleArray());
        assertArrayEquals(new double[] {2 / 3.0, 0.5, 1.0, Double.NaN}, t.doubleColumn("precision").asDoubleArray(), "predicted as 0: 3, as 1: 2, as 2: 1");
        String summary = e.toString();
        assertTrue(summary.startsWith("pairs: accuracy 0.6667 (4 of 6 correct), 4 classes"), summary);
        assertTrue(summary.contains("lowest recall: class 2, 0.5000"), summary);
        assertTrue(summary.contains("most confused: class 0 predicted as 1, 1 samples"), summary);
        assertEquals(3, summary.lines().count());
    }

    @Test
    void aTrainedUint8RunPredictsAndEvaluatesAsItsTestAccuracy() {
        DataSplit data = TestData.fashionMnist();
        Dataset test = data.test().take(500);
        TrainingRun run = Fqt.train(Models.smallCnn(data.shape(), 10)).precision(Precision.UINT8).batch(8).progress(null)
                .fit(data.train().take(1000), test);
        Evaluation e = run.evaluate(test);
        assertEquals(run.testAccuracy(), e.accuracy(), "the evaluation stream of the run's own test accuracy");
        assertArrayEquals(run.predict(test), e.predictions());
        assertEquals(run.predict(test)[7], run.predict(test.sample(7)));
        int[][] m = e.confusion();
        for (int k = 0; k < 10; k++) {
            final int cls = k;
            long labelled = java.util.stream.IntStream.range(0, test.size()).filter(i -> test.label(i) == cls).count();
            assertEquals(labelled, Arrays.stream(m[k]).sum(), "row " + k + " holds the samples of true class " + k);
        }
        assertTrue(e.accuracy() > 0.3, "well above the 0.1 of chance: " + e);
        assertThrows(IllegalStateException.class, () -> run.model().predict(test, Fqt.train(run.model()).precision(Precision.FLOAT32).config().evaluationContext()),
                "a quantized model predicts in its own precision only");

        HeatMapChart chart = Charts.confusionMatrix(e);
        assertTrue(chart.getTitle().startsWith("Confusion matrix: " + test.name() + ", accuracy"), chart.getTitle());
        assertEquals("predicted class", chart.getXAxisTitle());
        assertEquals("true class", chart.getYAxisTitle());
        List<Number[]> heat = new ArrayList<>(chart.getSeriesMap().get("samples").getHeatData());
        long cells = heat.stream().mapToLong(c -> c[2].longValue()).sum();
        assertEquals(test.size(), cells);
        assertArrayEquals(new Number[] {0, 9, m[0][0]}, heat.get(0), "true class 0 (drawn at the top), predicted 0");
        assertEquals(9, chart.getSeriesMap().get("samples").getYData().get(0), "the y axis starts at the bottom with class 9");
        BufferedImage image = Plots.confusionMatrix(e);
        assertTrue(image.getWidth() > 0 && image.getHeight() > 0);
    }
}
