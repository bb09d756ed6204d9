package fqt.djl;

import fqt.data.Dataset;
import fqt.kernels.SoftmaxCrossEntropy;
import fqt.nn.Context;
import fqt.nn.ErrorRange;
import fqt.nn.Layer;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A float model brought in from DJL or TorchScript: the toolkit's float32 {@link Model} (BatchNorm
 * folded) next to the DJL model it came from, so the two can be run side by side
 * ({@link #verify}). Close it to free DJL's native memory; the toolkit model stays usable.
 */
public final class ImportedModel implements AutoCloseable {
    /** Largest |DJL - toolkit| output difference {@link #verify(Dataset)} accepts. */
    public static final double DEFAULT_TOLERANCE = 1e-4;

    private final String name;
    private final Model model;
    private final List<String> sources;
    private final List<String> notes;
    private final DjlRunner djl;

    ImportedModel(String name, Model model, List<String> sources, List<String> notes, DjlRunner djl) {
        this.name = name;
        this.model = model;
        this.sources = List.copyOf(sources);
        this.notes = List.copyOf(notes);
        this.djl = djl;
    }

    public String name() { return name; }

    /** The toolkit's float32 model (train it with {@code Fqt.train}, which copies it). */
    public Model model() { return model; }

    /** Remarks of the import, e.g. source parameters no layer uses. */
    public List<String> notes() { return notes; }

    /** The toolkit model's summary plus, per layer, the source blocks or modules it came from. */
    public Table architecture() {
        Table t = model.summary();
        StringColumn source = StringColumn.create("source");
        sources.forEach(source::append);
        return t.addColumns(source);
    }

    /** As {@link #verify(Dataset, double)} with {@link #DEFAULT_TOLERANCE}. */
    public Verification verify(Dataset sample) {
        return verify(sample, DEFAULT_TOLERANCE);
    }

    /**
     * Runs every sample through DJL (in batches) and through the toolkit
     * model (float32) and compares the outputs.
     *
     * @throws ImportException if the largest absolute difference exceeds {@code tolerance}; the
     *                         message holds the figures
     */
    public Verification verify(Dataset sample, double tolerance) {
        model.checkInput(sample);
        if (sample.isEmpty()) throw new IllegalArgumentException("verify needs at least one sample");
        int classes = model.classes();
        double[] perOutput = new double[classes];
        double worst = -1;
        int worstSample = 0, worstOutput = 0, same = 0, djlCorrect = 0, correct = 0;
        Context c = floatContext();
        float[] x = new float[sample.sampleSize()];
        for (int from = 0; from < sample.size(); from += djl.batch()) {
            int count = Math.min(djl.batch(), sample.size() - from);
            float[] reference = djl.forward(sample, from, count);
            if (reference.length != count * classes) {
                throw new ImportException(name + ": DJL returns " + reference.length / count + " outputs per sample, the toolkit model " + classes);
            }
            for (int k = 0; k < count; k++) {
                sample.copySample(from + k, x);
                float[] out = model.forward(x, c);
                float[] ref = Arrays.copyOfRange(reference, k * classes, (k + 1) * classes);
                for (int o = 0; o < classes; o++) {
                    double d = Math.abs((double) ref[o] - out[o]);
                    if (!(d <= perOutput[o])) perOutput[o] = d; // NaN wins: it must show
                    if (!(d <= worst)) {
                        worst = d;
                        worstSample = from + k;
                        worstOutput = o;
                    }
                }
                int label = sample.label(from + k);
                int mine = SoftmaxCrossEntropy.argmax(out, classes), theirs = SoftmaxCrossEntropy.argmax(ref, classes);
                if (mine == theirs) same++;
                if (mine == label) correct++;
                if (theirs == label) djlCorrect++;
            }
        }
        Verification v = new Verification(sample.size(), perOutput, worst, worstSample, worstOutput, same,
                (double) djlCorrect / sample.size(), (double) correct / sample.size(), tolerance);
        if (!v.passed()) throw new ImportException(name + ": the imported model differs from DJL's: " + v);
        return v;
    }

    /** Float32 accuracy of the toolkit model on {@code data}. */
    public double evaluate(Dataset data) {
        return model.accuracy(data, floatContext());
    }

    /** Float32 reconstruction error of an autoencoder on {@code data}: the mean over samples of the MSE against the input. */
    public double meanSquaredError(Dataset data) {
        return model.meanSquaredError(data, floatContext());
    }

    private static Context floatContext() {
        Context c = new Context(Precision.FLOAT32, Rounding.NEAREST, ErrorRange.EXACT, 0f, 0f, null);
        c.training = false;
        return c;
    }

    @Override
    public void close() {
        djl.close();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Imported " + name + " " + Arrays.toString(model.inputShape()) + " float32\n");
        for (Layer l : model.layers()) {
            sb.append("  ").append(l.index()).append(": ").append(l.describe()).append(" -> ").append(Arrays.toString(l.outputShape()))
                    .append("   <- ").append(sources.get(l.index())).append('\n');
        }
        for (String n : notes) sb.append("  note: ").append(n).append('\n');
        return sb.toString();
    }
}
