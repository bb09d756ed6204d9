package fqt.djl;

import fqt.data.Dataset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchBaselineTest {

    @Test
    void sgdOnTheSmallCnnLearnsBrightSquares() {
        int classes = 10;
        Dataset train = Squares.make("squares-train", 2000, classes, 1);
        Dataset test = Squares.make("squares-test", 500, classes, 2);
        try (TorchBaseline baseline = TorchBaseline.create(train, 0.05f, 42)) {
            TorchBaseline.Evaluation before = baseline.evaluate(test);
            float[] losses = baseline.fit(train, 16, 300, 7);
            TorchBaseline.Evaluation after = baseline.evaluate(test);

            double first = mean(losses, 0, 30);
            double last = mean(losses, losses.length - 30, losses.length);
            System.out.printf("squares: loss %.3f -> %.3f over 300 steps of 16; test accuracy %.3f -> %.3f, test loss %.3f -> %.3f%n",
                    first, last, before.accuracy(), after.accuracy(), before.loss(), after.loss());
            assertEquals(500, after.samples());
            assertTrue(last < 0.5 * first, "training loss should at least halve: " + first + " -> " + last);
            assertTrue(after.loss() < before.loss(), "test loss should fall");
            assertTrue(after.accuracy() > 0.6, "accuracy should clearly beat chance (0.1): " + after.accuracy());
        }
    }

    @Test
    void sameSeedGivesTheSameTraining() {
        Dataset train = Squares.make("squares", 200, 4, 3);
        float[] a;
        float[] b;
        try (TorchBaseline baseline = TorchBaseline.create(train, 0.05f, 5)) {
            a = baseline.fit(train, 8, 5, 9);
        }
        try (TorchBaseline baseline = TorchBaseline.create(train, 0.05f, 5)) {
            b = baseline.fit(train, 8, 5, 9);
        }
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5, "step " + i);
    }

    @Test
    void throughputAtBatch1And16WithTheCurrentThreads() {
        Dataset data = Squares.make("squares", 512, 10, 4);
        int threads = Torch.intraOpThreads(); // 1 unless -Dai.djl.pytorch.num_threads says otherwise
        for (int batch : new int[] {1, 16}) {
            TorchBaseline.Throughput t = TorchBaseline.trainSamplesPerSecond(data, batch, batch == 1 ? 300 : 1600, 0.05f, 11);
            System.out.println(Torch.describe() + " train " + t);
            assertEquals(threads, t.intraOpThreads());
            assertEquals(batch, t.batch());
            assertTrue(t.samplesPerSecond() > 0 && Float.isFinite(t.finalLoss()), t.toString());
        }
    }

    /** One against two intra-op threads; slow, and two threads are erratic when the machine is busy. */
    @Test
    @Tag("slow")
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void throughputWithOneAndTwoThreads() {
        Dataset data = Squares.make("squares", 1024, 10, 4);
        int before = Torch.intraOpThreads();
        for (int repeat = 0; repeat < 2; repeat++) {
            for (int threads : new int[] {1, 2}) {
                for (int batch : new int[] {1, 16}) {
                    TorchBaseline.Throughput t = TorchBaseline.trainSamplesPerSecond(data, batch, batch == 1 ? 3000 : 20000, 0.05f, 11, threads);
                    System.out.println(Torch.describe() + " train " + t);
                    assertEquals(threads, t.intraOpThreads());
                }
            }
        }
        assertEquals(before, Torch.intraOpThreads(), "thread count restored");
    }

    private static double mean(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v[i];
        return s / (to - from);
    }
}
