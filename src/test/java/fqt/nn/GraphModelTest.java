package fqt.nn;

import static fqt.nn.FiniteDifferences.*;
import static org.junit.jupiter.api.Assertions.*;

import fqt.data.Dataset;
import fqt.kernels.MeanSquaredError;
import fqt.quant.Rounding;
import fqt.quant.Xorshift32;
import fqt.testing.TestData;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Graph models: finite-difference checks of Add, Clamp / ReLU6 and the MSE loss in FLOAT32; the
 * quantized gradients of a residual net against FLOAT32's; the fan-out rule; frozen branches.
 */
class GraphModelTest {
    private static float[] gaussian(int n, long seed, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * scale);
        return x;
    }

    /**
     * The error of tensor {@code t}, the output of a Linear layer, against central differences of
     * the loss: moving that Linear's bias o by h moves exactly element o of the tensor by h, so
     * {@code dLoss/dBias[o]} is the loss's derivative by the tensor's element o, whichever layers read it.
     */
    private static void checkError(Model model, float[] x, int label, Loss loss, int t) {
        Model m = model.copy();
        Context c = ctx(loss);
        m.forward(x, c);
        m.backward(label, c);
        float[] analytic = m.errors(t).toFloat();
        Layer producer = m.layer(t - 1);
        assertTrue(producer instanceof Linear, "checkError needs a Linear's output, tensor " + t + " is " + producer.name() + "'s");
        Weights w = producer.weights();
        float[] base = w.toFloat(), bias = w.bias().clone();
        for (int o = 0; o < bias.length; o++) {
            float[] b = bias.clone();
            b[o] += H;
            w.set(base, b, "bias");
            double up = loss(m, x, label, loss);
            b[o] -= 2 * H;
            w.set(base, b, "bias");
            double down = loss(m, x, label, loss);
            assertClose((up - down) / (2 * H), analytic[o], "error of tensor " + t + " element " + o);
        }
        w.set(base, bias, "bias");
    }

    /** The smallest distance of a float32 tensor's values from the given kinks. */
    private static double kinkMargin(Model m, float[] x, int t, float... kinks) {
        m.forward(x, ctx(Loss.CROSS_ENTROPY));
        double margin = Double.POSITIVE_INFINITY;
        for (float v : m.features(t).f) for (float k : kinks) margin = Math.min(margin, Math.abs(v - k));
        return margin;
    }

    // ---- finite differences ----

    @Test
    void addAndItsFanOutMatchFiniteDifferences() {
        maxAbs = maxRel = 0;
        // t1 = L0(x) is read by L1 and by the Add (a fan-out), t2 = L1(t1), t3 = t2 + t1, then a second Add of t3 with itself.
        var g = Graph.input(6);
        var a = g.input().then(new Linear(6, 5));
        var b = a.then(new Linear(5, 5));
        var s = b.add(a);
        var s2 = s.add(s);
        Model m = Models.init(g.build(s2.then(new Linear(5, 3))), 7);
        float[] x = gaussian(6, 1, 1f);
        checkError(m, x, 2, Loss.CROSS_ENTROPY, 1); // the fan-out: L1's share plus the Add's
        checkError(m, x, 2, Loss.CROSS_ENTROPY, 2); // an Add's input
        checkWeights(m, x, 2, Loss.CROSS_ENTROPY);
        System.out.printf("Add: finite differences within %.2e absolute, %.2e relative%n", maxAbs, maxRel);
    }

    @Test
    void clampAndRelu6MatchFiniteDifferencesAwayFromTheKinks() {
        maxAbs = maxRel = 0;
        for (Clamp clamp : new Clamp[] {Clamp.relu6(), new Clamp(-0.5f, 1.5f)}) {
            float lo = clamp.lo(), hi = clamp.hi();
            Model m = Models.init(Model.of(new int[] {6}, new Linear(6, 12), clamp, new Linear(12, 3)), 3);
            // Inputs scaled so the pre-activations fall on both sides of both bounds.
            float scale = hi - lo;
            float[] x = null;
            for (long seed = 1; seed < 100 && x == null; seed++) {
                float[] c = gaussian(6, seed, scale);
                if (kinkMargin(m, c, 1, lo, hi) > 20 * H) x = c;
            }
            assertNotNull(x, "no input with every pre-activation 20 h from " + lo + " and " + hi);
            m.forward(x, ctx(Loss.CROSS_ENTROPY));
            float[] pre = m.features(1).f.clone();
            assertTrue(count(pre, v -> v < lo) > 0 && count(pre, v -> v > hi) > 0 && count(pre, v -> v > lo && v < hi) > 0,
                    clamp.describe() + ": pre-activations " + Arrays.toString(pre) + " should lie below, inside and above");
            checkError(m, x, 1, Loss.CROSS_ENTROPY, 1);
            float[] e = m.errors(1).toFloat();
            for (int i = 0; i < pre.length; i++) if (pre[i] < lo || pre[i] > hi) assertEquals(0f, e[i], clamp.describe() + ": a saturated value passes no error");
            checkWeights(m, x, 1, Loss.CROSS_ENTROPY);
        }
        System.out.printf("Clamp/ReLU6: finite differences within %.2e absolute, %.2e relative%n", maxAbs, maxRel);
    }

    private static int count(float[] v, java.util.function.DoublePredicate p) {
        int n = 0;
        for (float f : v) if (p.test(f)) n++;
        return n;
    }

    @Test
    void mseLossMatchesFiniteDifferences() {
        maxAbs = maxRel = 0;
        Model m = Models.init(Model.of(new int[] {6}, new Linear(6, 4), new ReLU(), new Linear(4, 6)), 5);
        float[] x = gaussian(6, 2, 1f);
        assertTrue(kinkMargin(m, x, 1, 0f) > 20 * H);
        checkError(m, x, 0, Loss.MSE, 3); // the loss's own error: 2 (y - x) / n
        checkError(m, x, 0, Loss.MSE, 1);
        checkWeights(m, x, 0, Loss.MSE);
        Context c = ctx(Loss.MSE);
        float[] y = m.forward(x, c).clone();
        float l = m.backward(0, c);
        assertEquals(MeanSquaredError.loss(y, x, 6), l, 1e-7);
        for (int i = 0; i < 6; i++) assertEquals(2 * (y[i] - x[i]) / 6, m.errors(3).f[i], 1e-6);
        System.out.printf("MSE: finite differences within %.2e absolute, %.2e relative%n", maxAbs, maxRel);
    }

    /** A small residual net: identity shortcut with ReLU6 inside, then a stride-2 block with a 1x1 projection. */
    static Model tinyResidual() {
        var g = Graph.input(2, 5, 5);
        var x = g.input().then(new Conv2d(2, 4, 3, 1, 1)).then(new ReLU());
        var y = x.then(new Conv2d(4, 4, 3, 1, 1)).then(Clamp.relu6()).then(new Conv2d(4, 4, 3, 1, 1));
        var s = y.add(x).then(new ReLU());
        var z = s.then(new Conv2d(4, 6, 3, 2, 1));
        var p = s.then(new Conv2d(4, 6, 1, 2, 0));
        return g.build(z.add(p).then(new ReLU()).then(AvgPool2d.global()).then(new Flatten()).then(new Linear(6, 3)));
    }

    @Test
    void residualNetWeightGradientsMatchFiniteDifferences() {
        maxAbs = maxRel = 0;
        Model m = Models.init(tinyResidual(), 11);
        float[] x = null;
        long seed = 0;
        while (x == null && ++seed < 2000) {
            float[] c = gaussian(50, seed, 0.5f);
            boolean ok = true;
            for (Layer l : m.layers()) {
                if (l instanceof ReLU) ok &= kinkMargin(m, c, l.inputs()[0], 0f) > 0.01;
                if (l instanceof Clamp k) ok &= kinkMargin(m, c, l.inputs()[0], k.lo(), k.hi()) > 0.01;
            }
            if (ok) x = c;
        }
        assertNotNull(x, "no input with every ReLU/ReLU6 input 0.01 from a kink");
        checkWeights(m, x, 2, Loss.CROSS_ENTROPY);
        System.out.printf("residual net (input seed %d): finite differences within %.2e absolute, %.2e relative%n", seed, maxAbs, maxRel);
    }

    // ---- the fan-out rule ----

    /** t1 = L0(x) feeds two branches, L1 and L2, which an Add joins: the error of t1 is L1's share plus L2's. */
    private static Model twoBranches() {
        var g = Graph.input(6);
        var a = g.input().then(new Linear(6, 5));
        var b1 = a.then(new Linear(5, 4));
        var b2 = a.then(new Linear(5, 4));
        return Models.init(g.build(b1.add(b2).then(new ReLU()).then(new Linear(4, 3))), 9);
    }

    /** One branch's share, computed on its own: W^T e (real values of the weights and of the branch's output error). */
    private static double[] share(Model m, int layer) {
        Weights w = m.layer(layer).weights();
        float[] e = m.errors(layer + 1).toFloat();
        double[] d = new double[w.structureSize];
        for (int o = 0; o < w.structures; o++) for (int i = 0; i < w.structureSize; i++) d[i] += (double) w.weight(o * w.structureSize + i) * e[o];
        return d;
    }

    @Test
    void theErrorOfAFanOutIsTheSumOfItsBranchesErrors() {
        Model m = twoBranches();
        assertArrayEquals(new int[] {1, 2}, m.readers(1));
        float[] x = gaussian(6, 4, 1f);
        Context c = ctx(Loss.CROSS_ENTROPY);
        m.forward(x, c);
        m.backward(1, c);
        double[] s1 = share(m, 1), s2 = share(m, 2);
        float[] e = m.errors(1).f;
        double norm = 0;
        for (int i = 0; i < e.length; i++) {
            assertEquals(s1[i] + s2[i], e[i], 1e-6, "element " + i);
            norm += Math.abs(s1[i]) + Math.abs(s2[i]);
            assertNotEquals(0.0, s1[i]);
            assertNotEquals(0.0, s2[i]);
        }
        assertTrue(norm > 1e-3, "both shares are zero: the test would show nothing");
    }

    @Test
    void inUint8AFanOutsSharesAreSummedInRealValuesAndRequantizedOnce() {
        Model f = twoBranches();
        Dataset cal = new Dataset("gaussian", new int[] {6, 1, 1}, 3, concat(20), new int[20]);
        Model m = f.copy().quantize(cal);
        Context c = new Context(Precision.UINT8, Rounding.NEAREST, ErrorRange.EXACT, 0f, 0f, new Xorshift32(1));
        for (int k = 0; k < 5; k++) {
            m.forward(cal.sample(k), c);
            m.backward(1, c);
            // The shares from the codes: int32 products scaled once, summed in real values; one rounding to nearest follows.
            double[] s1 = share(m, 1), s2 = share(m, 2);
            Tensor e = m.errors(1);
            assertTrue(e.quantized());
            float step = e.params.scale();
            for (int i = 0; i < e.size; i++) {
                assertEquals(s1[i] + s2[i], e.real(i), 0.5 * step * 1.001 + 1e-7, "sample " + k + " element " + i + " (step " + step + ")");
            }
        }
    }

    private static float[] concat(int n) {
        float[] all = new float[n * 6];
        for (int k = 0; k < n; k++) System.arraycopy(gaussian(6, 100 + k, 1f), 0, all, 6 * k, 6);
        return all;
    }

    // ---- frozen branches ----

    /** The layers every path from the input to layer l passes through or starts from: l's ancestors, and l. */
    private static Set<Integer> upstream(Model m, int l) {
        Set<Integer> seen = new HashSet<>();
        List<Integer> todo = new ArrayList<>(List.of(l));
        while (!todo.isEmpty()) {
            int k = todo.remove(todo.size() - 1);
            if (!seen.add(k)) continue;
            for (int t : m.layer(k).inputs()) if (t > 0) todo.add(t - 1);
        }
        return seen;
    }

    @Test
    void frozenBranchesRunNoBackwardAndKeepTheirWeights() {
        Dataset train = TestData.fashionMnist().train().shuffled(5).take(200);
        int[] shape = train.shape();
        for (int k = 1; k <= 10; k++) {
            Model m = Models.resnet8(shape, 10, 4).trainLast(k);
            boolean[] runs = m.runsBackward();
            for (Layer l : m.layers()) {
                // A layer runs backward exactly when a trainable layer lies on its path from the input (itself included).
                boolean expected = upstream(m, l.index()).stream().anyMatch(i -> m.layer(i) instanceof WeightLayer w && !w.frozen());
                assertEquals(expected, runs[l.index()], "trainLast(" + k + "): " + l.name());
            }
            for (int i = 0; i < m.lowestTrainable(); i++) assertFalse(runs[i], "below the lowest trainable layer: " + m.layer(i).name());
        }
        // trainLast(5): stack 2's projection and everything after train; stack 2's main branch (two frozen convs, which come
        // before the projection) must not run although the Add they feed does, nor must the stem and stack 1.
        Model m = Models.resnet8(shape, 10, 4).trainLast(5);
        boolean[] runs = m.runsBackward();
        List<WeightLayer> w = m.weightLayers();
        WeightLayer s2a = w.get(3), s2b = w.get(4), s2p = w.get(5);
        assertEquals(List.of("Conv2d 4->8 3x3 s2 p1", "Conv2d 8->8 3x3 p1", "Conv2d 4->8 1x1 s2"), List.of(s2a.describe(), s2b.describe(), s2p.describe()));
        assertTrue(s2a.frozen() && s2b.frozen() && !s2p.frozen());
        assertFalse(runs[s2a.index()] || runs[s2b.index()] || runs[s2a.index() + 1], "stack 2's frozen branch runs backward");
        int add2 = m.readers(s2p.index() + 1)[0];
        assertTrue(m.layer(add2) instanceof Add && runs[add2]);
        for (Precision p : new Precision[] {Precision.FLOAT32, Precision.UINT8}) {
            Training t = Fqt.train(Models.resnet8(shape, 10, 4)).precision(p).optimizer(Optimizer.sgd(0.05f)).trainLast(5).epochs(1).seed(2).progress(null);
            Model start = t.prepareModel(train);
            TrainingRun run = t.fit(train, null);
            long[] macs = new long[start.layers().size()];
            Context c = run.config().context();
            run.model().forward(train.sample(0), c);
            run.model().backward(train.label(0), c);
            for (int i = 0; i < macs.length; i++) if (!runs[i]) assertEquals(0L, c.backwardMacs[i], p + ": backward work in " + start.layer(i).name());
            for (int i = 0; i < w.size(); i++) {
                Weights before = start.weightLayers().get(i).weights(), after = run.model().weightLayers().get(i).weights();
                boolean frozen = i < w.size() - 5;
                if (frozen) {
                    assertArrayEquals(before.toFloat(), after.toFloat(), p + ": frozen " + w.get(i).describe() + " changed");
                    assertArrayEquals(before.bias(), after.bias());
                } else {
                    assertFalse(Arrays.equals(before.toFloat(), after.toFloat()), p + ": trainable " + w.get(i).describe() + " did not change");
                }
            }
        }
    }

    // ---- quantized gradients of a residual net ----

    /** The uint8 model's weights, dequantized, in a float32 copy: the same function, so gradients compare directly. */
    static Model floatCopy(Model base, Model q) {
        Model f = base.copy();
        for (int i = 0; i < f.weightLayers().size(); i++) {
            Weights src = q.weightLayers().get(i).weights();
            f.weightLayers().get(i).weights().set(src.toFloat(), src.bias().clone(), "float copy");
        }
        return f;
    }

    /**
     * Cosine per layer of the UINT8 and MIXED weight gradients (one backward pass over the same 64
     * Fashion-MNIST samples, summed, no update) with FLOAT32's, for resnet8 (width 8) and mobileNetV2
     * (width 4), the float32 model holding the uint8 model's weights dequantized.
     *
     * <p>Measured (deterministic: fixed seeds, rounding to nearest, exact error ranges):
     * resnet8 MIXED and UINT8 alike, 0.9991-1.0000 per layer; mobileNetV2 MIXED and UINT8 alike,
     * 0.9882-1.0000, lowest at the first block's expand and depthwise convs (0.988-0.989). Where MIXED
     * and UINT8 agree the loss comes from the uint8 features and weights (the ReLU6 masks of uint8
     * codes differ from float32's near 0 and 6). UINT8 once lost more below resnet8's 7x7 global
     * average pool (0.977-0.984 in stack 3), whose backward divided each error code by 49; a pool
     * with disjoint windows now passes the codes on and divides the scale (AvgPool2dU8.backward).
     * Bounds: MIXED above 0.98 (within 11 degrees, QuantizedGradientTest's bound for the small CNN),
     * UINT8 above 0.98 too: 0.008 below the lowest measured value. A fan-out that loses a share or an Add that passes the wrong error turns whole
     * layers' gradients, far below these bounds.
     */
    @Test
    void quantizedGradientsOfResidualNetsAgreeInDirectionWithFloat() {
        Dataset train = TestData.fashionMnist().train().shuffled(3);
        Dataset batch = train.take(64);
        for (Model base : new Model[] {Models.resnet8(train.shape(), 10, 8, 3), Models.mobileNetV2(train.shape(), 10, 4, 3)}) {
            Model q = base.copy().quantize(train.take(512));
            Model f = floatCopy(base, q);
            List<float[]> gF = QuantizedGradientTest.gradients(f, batch, Precision.FLOAT32, ErrorRange.EXACT);
            List<float[]> gM = QuantizedGradientTest.gradients(q.copy(), batch, Precision.MIXED, ErrorRange.EXACT);
            List<float[]> gU = QuantizedGradientTest.gradients(q.copy(), batch, Precision.UINT8, ErrorRange.EXACT);
            double minM = 1, minU = 1;
            for (int l = 0; l < gF.size(); l++) {
                double mixed = QuantizedGradientTest.cosine(gF.get(l), gM.get(l)), uint8 = QuantizedGradientTest.cosine(gF.get(l), gU.get(l));
                minM = Math.min(minM, mixed);
                minU = Math.min(minU, uint8);
                System.out.printf("%s: cosine MIXED %.4f, UINT8 %.4f%n", f.weightLayers().get(l).name(), mixed, uint8);
                assertTrue(mixed > 0.98, "MIXED gradient of " + f.weightLayers().get(l).name() + " has cosine " + mixed);
                assertTrue(uint8 > 0.98, "UINT8 gradient of " + f.weightLayers().get(l).name() + " has cosine " + uint8);
            }
            System.out.printf("%s -> smallest cosine MIXED %.4f, UINT8 %.4f%n", base.layer(0).describe(), minM, minU);
        }
    }
}
