package fqt.cli;

import fqt.nn.ErrorRange;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.select.PartialUpdates.ErrorBy;
import fqt.sweep.TrainingOptions;
import fqt.train.Defaults;
import fqt.train.Optimizer;
import java.util.ListResourceBundle;
import java.util.stream.Collectors;

/**
 * Texts of the help computed at run time, as {@code ${bundle:KEY}} in an option's description: the
 * names an option takes and the defaults of {@link Defaults} (annotations hold only constants).
 */
final class HelpValues extends ListResourceBundle {
    @Override
    protected Object[][] getContents() {
        var p = Defaults.PARTIAL_UPDATES;
        return new Object[][] {
            {"names.precision", new CliEnum<>(Precision.class).names()},
            {"names.boards", fqt.board.Boards.names()},
            {"names.rounding", new CliEnum<>(Rounding.class).names()},
            {"names.error-range", new CliEnum<>(ErrorRange.class).names()},
            {"names.error-by", new CliEnum<>(ErrorBy.class).names()},
            {"names.loss", new CliEnum<>(fqt.nn.Loss.class).names()},
            {"default.loss", CliEnum.name(Defaults.LOSS)},
            {"names.gradients", new CliEnum<>(fqt.nn.Gradients.class).names()},
            {"default.gradients", CliEnum.name(Defaults.GRADIENTS)},
            {"names.optimizer", String.join("|", TrainingOptions.OPTIMIZERS)},
            {"default.precision", CliEnum.name(Defaults.PRECISION)},
            {"default.optimizer", TrainingOptions.DEFAULT_OPTIMIZER},
            {"default.lr", TrainingOptions.OPTIMIZERS.stream().map(n -> n + " " + Optimizer.defaultLearningRate(n)).collect(Collectors.joining(", "))},
            {"default.rounding", CliEnum.name(Defaults.ROUNDING)},
            {"default.error-range", CliEnum.name(Defaults.ERROR_RANGE)},
            {"default.alpha-a", Float.toString(Defaults.ALPHA_A)},
            {"default.alpha-e", Float.toString(Defaults.ALPHA_E)},
            {"default.calibration", Integer.toString(Defaults.CALIBRATION)},
            {"default.batch", Integer.toString(Defaults.BATCH)},
            {"default.epochs", Integer.toString(Defaults.EPOCHS)},
            {"default.seed", Long.toString(Defaults.SEED)},
            {"default.train-last", Integer.toString(Defaults.TRAIN_LAST)},
            {"default.bias-only", Boolean.toString(Defaults.BIAS_ONLY)},
            {"default.lambda-min", Double.toString(p.lambdaMin())},
            {"default.lambda-max", Double.toString(p.lambdaMax())},
            {"default.error-by", CliEnum.name(p.errorBy())},
            {"default.full-head", Boolean.toString(p.fullHead())},
        };
    }
}
