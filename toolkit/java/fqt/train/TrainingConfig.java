package fqt.train;

import fqt.data.Dataset;
import fqt.nn.Context;
import fqt.nn.ErrorRange;
import fqt.nn.Gradients;
import fqt.nn.Loss;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.quant.Xorshift32;
import fqt.select.PartialUpdates;

/**
 * Everything that defines a training run, immutable and typed: what {@link Training} freezes at
 * {@code fit()} and what the simulator, the memory plan, the model blob (and so the board), the
 * sweep and the command line all read. {@link #DEFAULTS} is the table of {@link Defaults}.
 *
 * @param precision     FLOAT32, MIXED or UINT8
 * @param rounding      rounding of every requantization (features, errors, weights)
 * @param optimizer     the optimizer and its hyper-parameters
 * @param partialUpdates which structures each sample updates ({@link PartialUpdates#full()}: all)
 * @param errorRange    how the error tensors' ranges are set
 * @param alphaA        moving-average rate of the feature ranges during training (0 keeps the calibrated ranges)
 * @param alphaE        moving-average rate of the error ranges ({@link ErrorRange#EMA})
 * @param batch         samples per optimizer step
 * @param epochs        passes over the training set
 * @param seed          seed of the run's random stream (rounding draws, shuffles, calibration subset)
 * @param calibration   training samples that calibrate the feature ranges when a float model is quantized
 * @param trainLast     only the last n layers with weights train (0: all)
 * @param biasOnly      every layer with weights but the last updates only its biases
 * @param loss          what training minimizes: cross-entropy on labels, or MSE against the input (reconstruction)
 * @param gradients     where gradients wait for their update ({@link Gradients}; AUTO: {@link Gradients#of}); see {@link #gradientsUsed()}
 */
public record TrainingConfig(Precision precision, Rounding rounding, Optimizer optimizer, PartialUpdates partialUpdates,
                             ErrorRange errorRange, float alphaA, float alphaE, int batch, int epochs, long seed,
                             int calibration, int trainLast, boolean biasOnly, Loss loss, Gradients gradients) {
    /** Seed of the rounding stream used by evaluations, so testing never disturbs training's stream. */
    public static final int EVAL_SEED = 0x5EED;

    public static final TrainingConfig DEFAULTS = new TrainingConfig(Defaults.PRECISION, Defaults.ROUNDING, Defaults.OPTIMIZER,
            Defaults.PARTIAL_UPDATES, Defaults.ERROR_RANGE, Defaults.ALPHA_A, Defaults.ALPHA_E, Defaults.BATCH, Defaults.EPOCHS,
            Defaults.SEED, Defaults.CALIBRATION, Defaults.TRAIN_LAST, Defaults.BIAS_ONLY, Defaults.LOSS, Defaults.GRADIENTS);

    public TrainingConfig {
        if (precision == null || rounding == null || optimizer == null || partialUpdates == null || errorRange == null || loss == null
                || gradients == null) {
            throw new IllegalArgumentException("precision, rounding, optimizer, partialUpdates, errorRange, loss and gradients must be set");
        }
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (calibration < 1) throw new IllegalArgumentException("calibration must be >= 1 sample, got " + calibration);
        if (trainLast < 0) throw new IllegalArgumentException("trainLast must be >= 0 (0: every layer), got " + trainLast);
        if (!(alphaA >= 0 && alphaA <= 1)) throw new IllegalArgumentException("alphaA must be in [0, 1], got " + alphaA);
        if (!(alphaE >= 0 && alphaE <= 1)) throw new IllegalArgumentException("alphaE must be in [0, 1], got " + alphaE);
        if (gradients == Gradients.IN_PLACE && batch != 1) {
            throw new IllegalArgumentException("gradients IN_PLACE update after every sample: they need batch 1, got batch " + batch);
        }
    }

    /** The gradients this training uses: the {@code gradients} setting, AUTO resolved by precision and batch. */
    public Gradients gradientsUsed() {
        return gradients.resolve(precision, batch);
    }

    /** The context of a training pass, on the run's random stream. */
    public Context context() {
        return context(new Xorshift32(seed));
    }

    /** The context of an evaluation: not training, on its own stream ({@link #EVAL_SEED}). */
    public Context evaluationContext() {
        Context c = context(new Xorshift32(EVAL_SEED));
        c.training = false;
        return c;
    }

    private Context context(Xorshift32 stream) {
        Context c = new Context(precision, rounding, errorRange, alphaA, alphaE, stream);
        c.loss = loss;
        c.gradients = gradientsUsed();
        c.update = optimizer.rule();
        return c;
    }

    /**
     * The test metric of a model trained with this configuration, on the evaluation stream:
     * accuracy for cross-entropy, the mean reconstruction error for MSE ({@link Loss#metric()}).
     */
    public double evaluate(Model m, Dataset test) {
        return loss == Loss.MSE ? m.meanSquaredError(test, evaluationContext()) : m.accuracy(test, evaluationContext());
    }

    /** One line: precision, optimizer, updates and the layers that train. */
    public String describe() {
        String updates = partialUpdates.ranking() ? "partial updates lambdaMin " + partialUpdates.lambdaMin() : "full updates";
        return precision + ", " + optimizer.describe() + ", " + updates + (trainLast > 0 ? ", last " + trainLast + " trained" : "")
                + (biasOnly ? ", bias only" : "") + (loss == Loss.MSE ? ", MSE loss" : "")
                + (gradients != Gradients.AUTO ? ", " + gradients + " gradients" : "");
    }
}
