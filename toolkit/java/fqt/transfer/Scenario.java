package fqt.transfer;

import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.data.FashionMnist;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.nn.Weights;
import fqt.nn.WeightLayer;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * A transfer-learning task: a source {@link DataSplit} to pretrain on and a target one to adapt to.
 * <pre>
 *   Scenario s = Scenario.newClasses();                       // Fashion-MNIST 0-4 -> 5-9
 *   TrainingRun pre = s.pretrain(t -> t.epochs(2));           // float32, on the source task
 *   TransferRun r = s.fineTune(pre, t -> t.precision(UINT8).trainLast(2).epochs(3));
 *   r.targetAccuracy(); r.sourceAccuracy();                   // forgetting shows in the second
 * </pre>
 * With {@link #newHead()} the target classes are new: fine-tuning starts from the pretrained model
 * with its last layer reinitialised ({@link #HEAD_SEED}), and the source accuracy afterwards is that
 * of the fine-tuned layers under the pretrained source head (a device would keep both heads).
 */
public final class Scenario {
    /** Seed of the new head's He-uniform initialisation. */
    public static final long HEAD_SEED = 4242;
    /** Seed of the calibration subset when a source model is quantized for evaluation. */
    static final long CALIBRATION_SEED = 17;

    private final String name;
    private final DataSplit source;
    private final DataSplit target;
    private final boolean newHead;

    private Scenario(String name, DataSplit source, DataSplit target, boolean newHead) {
        this.name = name;
        this.source = source;
        this.target = target;
        this.newHead = newHead;
    }

    /** Fashion-MNIST ({@link FashionMnist#load()}): classes 0-4 (clothes) as source, 5-9 (shoes, shirt, bag) as target. */
    public static Scenario newClasses() { return newClasses(FashionMnist.load()); }

    /** The first half of the classes as source, the second half (relabelled from 0) as target, with a new head. */
    public static Scenario newClasses(DataSplit data) {
        int half = data.classes() / 2;
        if (half < 2 || data.classes() != 2 * half) {
            throw new IllegalArgumentException("newClasses needs an even number of classes >= 4, got " + data.classes());
        }
        int[] first = IntStream.range(0, half).toArray(), second = IntStream.range(half, 2 * half).toArray();
        return new Scenario("new classes " + half + "-" + (2 * half - 1) + " after 0-" + (half - 1),
                new DataSplit(data.train().classes(first), data.test().classes(first)),
                new DataSplit(data.train().classes(second), data.test().classes(second)), true);
    }

    /** Fashion-MNIST as source, its shifted images (same classes, same head) as target. */
    public static Scenario domainShift(Shift kind) { return domainShift(FashionMnist.load(), kind); }

    public static Scenario domainShift(DataSplit data, Shift kind) {
        return new Scenario("domain shift " + kind.name().toLowerCase(java.util.Locale.ROOT), data,
                new DataSplit(kind.apply(data.train(), 1), kind.apply(data.test(), 2)), false);
    }

    /** The same scenario on seeded subsets: at most {@code train} and {@code test} samples per task. */
    public Scenario take(int train, int test, long seed) {
        return new Scenario(name, take(source, train, test, seed), take(target, train, test, seed), newHead);
    }

    private static DataSplit take(DataSplit d, int train, int test, long seed) {
        return new DataSplit(d.train().shuffled(seed).take(train), d.test().shuffled(seed + 1).take(test));
    }

    public String name() { return name; }
    public DataSplit source() { return source; }
    public DataSplit target() { return target; }
    /** Whether the target classes are new (the last layer is reinitialised before fine-tuning). */
    public boolean newHead() { return newHead; }

    /**
     * Trains {@code Models.smallCnn} on the source task in FLOAT32 (SGD 0.05, batch 16, then
     * {@code settings}; the precision must stay FLOAT32), evaluated on the source test set.
     */
    public TrainingRun pretrain(UnaryOperator<Training> settings) {
        Training t = settings.apply(Fqt.train(Models.smallCnn(source.shape(), source.classes()))
                .precision(Precision.FLOAT32));
        if (t.config().precision() != Precision.FLOAT32) throw new IllegalArgumentException("pretraining is float32; quantize when fine-tuning");
        return t.fit(source.train(), source.test());
    }

    /** A float copy of the pretrained model to fine-tune: with a reinitialised last layer when the classes are new. */
    public Model startModel(Model pretrained) {
        if (pretrained.quantized()) throw new IllegalArgumentException("fine-tuning starts from the float pretrained model; this one is quantized");
        Model m = pretrained.copy();
        if (newHead) {
            Weights fresh = last(Models.init(pretrained.copy(), HEAD_SEED)).weights();
            WeightLayer head = last(m);
            head.weights().set(fresh.toFloat(), fresh.bias().clone(), head.name());
        }
        return m;
    }

    /** Fine-tunes {@link #startModel} on the target task with {@code settings}, then measures the source task. */
    public TransferRun fineTune(TrainingRun pretrained, UnaryOperator<Training> settings) {
        TrainingRun run = settings.apply(Fqt.train(startModel(pretrained.model()))).fit(target.train(), target.test());
        return new TransferRun(this, run, sourceAccuracy(run, pretrained.model()), pretrained.testAccuracy());
    }

    /**
     * Accuracy of a fine-tuned model on the source test set, in the run's precision. With a new head
     * the fine-tuned layers are put under the pretrained source head: their (dequantized) weights go
     * into a float copy of the pretrained model, which is quantized again, calibrated on source samples.
     */
    public double sourceAccuracy(TrainingRun run, Model pretrained) {
        Model m = run.model();
        if (newHead) {
            Model withSourceHead = pretrained.copy();
            List<WeightLayer> to = withSourceHead.weightLayers(), from = m.weightLayers();
            for (int i = 0; i < to.size() - 1; i++) {
                Weights w = from.get(i).weights();
                to.get(i).weights().set(w.toFloat(), w.bias().clone(), to.get(i).name());
            }
            Dataset calibration = source.train().shuffled(CALIBRATION_SEED).take(512);
            m = m.quantized() ? withSourceHead.quantize(calibration) : withSourceHead;
        }
        return run.config().evaluate(m, source.test());
    }

    private static WeightLayer last(Model m) {
        List<WeightLayer> w = m.weightLayers();
        return w.get(w.size() - 1);
    }

    @Override
    public String toString() {
        return name + ": source " + source.train() + ", target " + target.train();
    }
}
