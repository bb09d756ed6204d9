package fqt.firmware;

import fqt.data.Dataset;
import fqt.kernels.SoftmaxCrossEntropy;
import fqt.memory.Memory;
import fqt.nn.Context;
import fqt.nn.Model;
import fqt.nn.Selection;
import fqt.nn.Tensor;
import fqt.nn.WeightLayer;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingConfig;
import fqt.wire.ModelBlob;

/**
 * The Java side of a parity run: the first epoch of {@code training.fit(data, ...)} sample by
 * sample, exactly as {@link Training#fit} runs it, recording what the host runner records.
 */
final class JavaRun {
    private JavaRun() {}

    /** The order in which fit visits {@code data} in epoch 1. */
    static Dataset epochOrder(TrainingConfig t, Dataset data) {
        return data.select(Dataset.permutation(data.size(), t.seed() * 1_000_003L + 1));
    }

    static HostResult run(Training training, Dataset data, Dataset test) {
        TrainingConfig t = training.config();
        Model m = Training.prepareModel(training.model(), t, data);
        HostResult r = new HostResult();
        r.arenaBytes = Memory.plan(m, t).ramBytes();
        Context c = t.context();
        c.selection = recording(t.partialUpdates().selector(m), r);
        Optimizer opt = t.optimizer();
        Dataset ordered = epochOrder(t, data);
        float[] x = new float[ordered.sampleSize()];
        int inBatch = 0;
        for (int k = 0; k < ordered.size(); k++) {
            ordered.copySample(k, x);
            float[] logits = m.forward(x, c);
            r.predicted.add(SoftmaxCrossEntropy.argmax(logits, m.classes()));
            r.losses.add(m.backward(ordered.label(k), c));
            inBatch++;
            if (inBatch == t.batch() || k == ordered.size() - 1) {
                for (WeightLayer w : m.weightLayers()) if (!w.frozen()) opt.update(w.weights(), c.gradients, t.rounding(), c.rng);
                inBatch = 0;
            }
        }
        r.forwardMacs = java.util.Arrays.stream(c.forwardMacs).sum();
        r.backwardMacs = java.util.Arrays.stream(c.backwardMacs).sum();
        if (test != null) {
            Context e = t.evaluationContext();
            for (int i = 0; i < test.size(); i++) {
                test.copySample(i, x);
                float[] out = m.forward(x, e);
                // an MSE model's evaluation answer: the bits of the sample's reconstruction error (train.h)
                r.eval.add(t.loss() == fqt.nn.Loss.MSE ? Float.floatToRawIntBits(m.reconstructionError()) : SoftmaxCrossEntropy.argmax(out, m.classes()));
            }
        }
        r.blob = ModelBlob.write(m, t);
        return r;
    }

    private static Selection recording(Selection inner, HostResult r) {
        return new Selection() {
            @Override
            public int select(int layer, Tensor dy, int structures, int[] sel) {
                int k = inner.select(layer, dy, structures, sel);
                r.selections.add(layer);
                r.selections.add(k);
                for (int j = 0; j < k; j++) r.selections.add(sel[j]);
                return k;
            }

            @Override
            public void beginSample(float loss) { inner.beginSample(loss); }
        };
    }
}
