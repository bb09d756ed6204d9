package fqt.train;

import fqt.nn.ErrorRange;
import fqt.nn.Gradients;
import fqt.nn.Loss;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.select.PartialUpdates;

/**
 * Every default of a training run, written once: the API ({@link Training}), the command line, the
 * sweep and the README's table read them from here. The learning rates are those that train the
 * small CNN on Fashion-MNIST in every precision mode (standardized steps are in weight units, so
 * its rate is smaller).
 */
public final class Defaults {
    private Defaults() {}

    public static final Precision PRECISION = Precision.UINT8;
    public static final Rounding ROUNDING = Rounding.STOCHASTIC;
    public static final ErrorRange ERROR_RANGE = ErrorRange.EXACT;
    /** Moving-average rate of the feature ranges during training. */
    public static final float ALPHA_A = 0.01f;
    /** Moving-average rate of the error ranges ({@link ErrorRange#EMA}). */
    public static final float ALPHA_E = 0.1f;
    public static final int BATCH = 16;
    public static final int EPOCHS = 1;
    public static final long SEED = 1;
    /** Training samples that calibrate the feature ranges when a float model is quantized. */
    public static final int CALIBRATION = 512;
    /** 0: every layer with weights trains. */
    public static final int TRAIN_LAST = 0;
    public static final boolean BIAS_ONLY = false;
    public static final PartialUpdates PARTIAL_UPDATES = PartialUpdates.full();
    public static final Loss LOSS = Loss.CROSS_ENTROPY;
    /** In place at batch 1, int8 sums in UINT8 batches, float32 sums otherwise ({@link Gradients#of}). */
    public static final Gradients GRADIENTS = Gradients.AUTO;

    public static final float SGD_LR = 0.05f;
    public static final float STANDARDIZED_LR = 0.002f;
    /** Smoothing rate of the standardization's mean and deviation. */
    public static final float ALPHA_NORM = 0.1f;
    public static final float MOMENTUM_LR = 0.01f;
    public static final float MOMENTUM_MU = 0.9f;
    public static final float ADAM_LR = 0.001f;
    public static final float ADAM_BETA1 = 0.9f;
    public static final float ADAM_BETA2 = 0.999f;

    /** Plain SGD: it trains all three modes with stochastic rounding (README, "Defaults"). */
    public static final Optimizer OPTIMIZER = Optimizer.sgd(SGD_LR);
}
