package fqt.cli;

import fqt.nn.ErrorRange;
import fqt.nn.Gradients;
import fqt.nn.Loss;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.select.PartialUpdates;
import fqt.select.PartialUpdates.ErrorBy;
import fqt.sweep.TrainingOptions;
import fqt.train.Defaults;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of one training run, shared by {@code ./fqt train} and {@code ./fqt board train}.
 * An option not given is null here and {@link Defaults}' value in the run (and in the help).
 */
final class TrainingMixin {
    @Option(names = "--precision", paramLabel = "MODE",
            description = "${bundle:names.precision}, or all: one run each (./fqt train) (default: ${bundle:default.precision})")
    String precision;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "${bundle:names.optimizer} (default: ${bundle:default.optimizer})")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "learning rate (default: the optimizer's: ${bundle:default.lr})")
    Float lr;

    @Option(names = "--rounding", paramLabel = "R", description = "${bundle:names.rounding} (default: ${bundle:default.rounding})")
    Rounding rounding;

    @Option(names = "--error-range", paramLabel = "E", description = "${bundle:names.error-range}: how UINT8 errors get their range (default: ${bundle:default.error-range})")
    ErrorRange errorRange;

    @Option(names = "--alpha-a", paramLabel = "X", description = "moving-average rate of the feature ranges (default: ${bundle:default.alpha-a})")
    Float alphaA;

    @Option(names = "--alpha-e", paramLabel = "X", description = "moving-average rate of the error ranges, with ema (default: ${bundle:default.alpha-e})")
    Float alphaE;

    @Option(names = "--calibration", paramLabel = "N", description = "training samples that calibrate a float model's ranges (default: ${bundle:default.calibration})")
    Integer calibration;

    @Option(names = "--batch", paramLabel = "N", split = ",", hideParamSyntax = true,
            description = "samples per weight update; a list for ./fqt memory (default: ${bundle:default.batch})")
    List<Integer> batch;

    @Option(names = "--epochs", paramLabel = "N", description = "passes over the training set (default: ${bundle:default.epochs})")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "N", description = "of the model, the data shuffle and the rounding (default: ${bundle:default.seed})")
    Long seed;

    @Option(names = "--train-last", paramLabel = "N", description = "train only the last N layers with weights (default: ${bundle:default.train-last}, all)")
    Integer trainLast;

    @Option(names = "--bias-only", negatable = true, description = "update only the biases but the head's (TinyTL) (default: ${bundle:default.bias-only})")
    Boolean biasOnly;

    @Option(names = "--lambda-min", paramLabel = "X", description = "partial updates: smallest share of structures updated, 1 = full updates (default: ${bundle:default.lambda-min})")
    Double lambdaMin;

    @Option(names = "--lambda-max", paramLabel = "X", description = "partial updates: largest share (default: ${bundle:default.lambda-max})")
    Double lambdaMax;

    @Option(names = "--error-by", paramLabel = "E", description = "${bundle:names.error-by}: what sets a sample's budget (default: ${bundle:default.error-by})")
    ErrorBy errorBy;

    @Option(names = "--loss", paramLabel = "L", description = "${bundle:names.loss}: mse reconstructs the input (an autoencoder) (default: ${bundle:default.loss})")
    Loss loss;

    @Option(names = "--full-head", negatable = true, description = "partial updates: the classifier head updated in full (default: ${bundle:default.full-head})")
    Boolean fullHead;

    @Option(names = "--gradients", paramLabel = "G",
            description = "${bundle:names.gradients}: where gradients wait for the update; auto = in-place at batch 1, int8 in uint8 batches, else float32 (default: ${bundle:default.gradients})")
    Gradients gradients;

    /** The precision modes to train: one, or all three for {@code --precision all}. */
    List<Precision> precisions() {
        if (precision != null && precision.equalsIgnoreCase("all")) return List.of(Precision.values());
        return List.of(precision());
    }

    /** The one precision mode of a run. The option is text, not a Precision, for "all". */
    Precision precision() {
        if (precision == null) return Defaults.PRECISION;
        if (precision.equalsIgnoreCase("all")) throw new IllegalArgumentException("--precision all: this command trains one precision mode");
        try {
            return new CliEnum<>(Precision.class).convert(precision);
        } catch (TypeConversionException e) {
            throw new IllegalArgumentException("--precision: " + e.getMessage() + " or all", e);
        }
    }

    /** The optimizer by name with the learning rate given or its default; neither given: {@link Defaults#OPTIMIZER}. */
    Optimizer optimizer() {
        return Optimizer.named(optimizerName(), lr());
    }

    String optimizerName() { return or(optimizer, TrainingOptions.DEFAULT_OPTIMIZER); }
    float lr() { return lr != null ? lr : Optimizer.defaultLearningRate(optimizerName()); }

    Rounding rounding() { return or(rounding, Defaults.ROUNDING); }
    /** The one batch size of a run. */
    int batch() {
        if (batch == null) return Defaults.BATCH;
        if (batch.size() != 1) throw new IllegalArgumentException("--batch " + batch + ": this command takes one batch size");
        return batch.get(0);
    }

    /** The batch sizes of {@code --batch}, a list in ./fqt memory. */
    List<Integer> batches() {
        return batch != null ? batch : List.of(Defaults.BATCH);
    }
    int epochs() { return or(epochs, Defaults.EPOCHS); }
    long seed() { return or(seed, Defaults.SEED); }

    PartialUpdates partialUpdates() {
        PartialUpdates d = Defaults.PARTIAL_UPDATES;
        return PartialUpdates.lambdaMin(lambdaMin != null ? lambdaMin : d.lambdaMin()).lambdaMax(lambdaMax != null ? lambdaMax : d.lambdaMax())
                .errorBy(or(errorBy, d.errorBy())).fullHead(or(fullHead, d.fullHead()));
    }

    /** A training of {@code model} in precision {@code p} with every option. */
    Training training(Model model, Precision p) {
        return training(model, p, batch());
    }

    /** {@link #training(Model, Precision)} with batch size {@code batch}. */
    Training training(Model model, Precision p, int batch) {
        return Fqt.train(model).precision(p).optimizer(optimizer()).rounding(rounding())
                .errorRange(or(errorRange, Defaults.ERROR_RANGE)).alphaA(or(alphaA, Defaults.ALPHA_A)).alphaE(or(alphaE, Defaults.ALPHA_E))
                .calibration(or(calibration, Defaults.CALIBRATION)).batch(batch).epochs(epochs()).seed(seed())
                .trainLast(or(trainLast, Defaults.TRAIN_LAST)).biasOnly(or(biasOnly, Defaults.BIAS_ONLY))
                .partialUpdates(partialUpdates()).loss(loss()).gradients(or(gradients, Defaults.GRADIENTS));
    }

    Loss loss() { return or(loss, Defaults.LOSS); }

    private static <T> T or(T given, T dflt) {
        return given != null ? given : dflt;
    }
}
