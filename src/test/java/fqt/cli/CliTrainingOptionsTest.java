package fqt.cli;

import static org.junit.jupiter.api.Assertions.*;

import fqt.nn.ErrorRange;
import fqt.nn.Gradients;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.select.PartialUpdates;
import fqt.select.PartialUpdates.ErrorBy;
import fqt.train.Defaults;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.TrainingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/** The training options of train and board train: unset they are fqt.train.Defaults, set they reach the Training. */
class CliTrainingOptionsTest {
    /** The training a command line would run (the first of its precisions), parsed, not run. */
    static TrainingConfig parsed(String... args) {
        ParseResult r = Main.commandLine().parseArgs(args);
        while (r.hasSubcommand()) r = r.subcommand();
        Object command = r.commandSpec().userObject();
        TrainingMixin t = command instanceof TrainCommand c ? c.training : ((BoardCommand.Train) command).training;
        return t.training(Models.mlp(new int[] {1, 4, 4}, 3, 1, 8), t.precisions().get(0)).config();
    }

    @Test
    void unsetOptionsAreTheDefaults() {
        for (String[] command : List.of(new String[] {"train"}, new String[] {"board", "train"})) {
            TrainingConfig t = parsed(command);
            assertEquals(TrainingConfig.DEFAULTS, t, "the whole configuration");
            assertEquals(Defaults.PRECISION, t.precision());
            assertEquals(Defaults.OPTIMIZER.describe(), t.optimizer().describe());
            assertEquals(Defaults.ROUNDING, t.rounding());
            assertEquals(Defaults.ERROR_RANGE, t.errorRange());
            assertEquals(Defaults.ALPHA_A, t.alphaA());
            assertEquals(Defaults.ALPHA_E, t.alphaE());
            assertEquals(Defaults.BATCH, t.batch());
            assertEquals(Defaults.EPOCHS, t.epochs());
            assertEquals(Defaults.SEED, t.seed());
            assertEquals(Defaults.TRAIN_LAST, t.trainLast());
            assertEquals(Defaults.BIAS_ONLY, t.biasOnly());
            assertEquals(Defaults.PARTIAL_UPDATES, t.partialUpdates());
        }
    }

    @Test
    void everyOptionGivenReachesTheTraining() {
        TrainingConfig t = parsed("board", "train", "--precision", "mixed", "--optimizer", "momentum", "--rounding", "nearest", "--error-range", "ema",
                "--alpha-a", "0.02", "--alpha-e", "0.2", "--calibration", "64", "--batch", "8", "--epochs", "2", "--seed", "7",
                "--train-last", "2", "--bias-only", "--lambda-min", "0.1", "--lambda-max", "0.9", "--error-by", "layer-mean-error", "--full-head");
        assertEquals(Precision.MIXED, t.precision());
        assertEquals("momentum(0.01, 0.9)", t.optimizer().describe(), "momentum's own default learning rate");
        assertEquals(Rounding.NEAREST, t.rounding());
        assertEquals(ErrorRange.EMA, t.errorRange());
        assertEquals(0.02f, t.alphaA());
        assertEquals(0.2f, t.alphaE());
        assertEquals(8, t.batch());
        assertEquals(2, t.epochs());
        assertEquals(7, t.seed());
        assertEquals(2, t.trainLast());
        assertTrue(t.biasOnly());
        assertEquals(PartialUpdates.lambdaMin(0.1).lambdaMax(0.9).errorBy(ErrorBy.LAYER_MEAN_ERROR).fullHead(true), t.partialUpdates());
    }

    @Test
    void theLearningRateAloneKeepsTheDefaultOptimizer() {
        assertEquals("sgd(0.1)", parsed("train", "--lr", "0.1").optimizer().describe());
        assertEquals("adam(0.003, beta1 0.9, beta2 0.999)", parsed("train", "--optimizer", "adam", "--lr", "0.003").optimizer().describe());
    }

    @Test
    void allPrecisionsOnlyWhereTheCommandTrainsSeveral() {
        ParseResult r = Main.commandLine().parseArgs("train", "--precision", "all").subcommand();
        assertEquals(List.of(Precision.values()), ((TrainCommand) r.commandSpec().userObject()).training.precisions());
        CliErrorsTest.assertOneLineError(CliHelpTest.run("board", "train", "--precision", "all"), "one precision");
    }

    /** The partial-update experiment's fine-tuning in UINT8, from a parsed (not run) command line. */
    static TrainingConfig experiment(String... args) {
        ParseResult r = Main.commandLine().parseArgs(args);
        while (r.hasSubcommand()) r = r.subcommand();
        var e = (ExperimentCommand.PartialUpdatesExperiment) r.commandSpec().userObject();
        return e.fineTuning(Fqt.train(Models.mlp(new int[] {1, 4, 4}, 3, 1, 8)), Precision.UINT8, Optimizer.named(e.optimizer, e.lr)).config();
    }

    @Test
    void theExperimentsOptionsReachItsFineTuning() {
        TrainingConfig unset = experiment("experiment", "partial-updates");
        assertEquals(Defaults.GRADIENTS, unset.gradients());
        assertEquals(Defaults.SEED, unset.seed());
        TrainingConfig t = experiment("experiment", "partial-updates", "--gradients", "float32", "--seed", "3", "--train-last", "1", "--optimizer", "momentum", "--lr", "0.01");
        assertEquals(Gradients.FLOAT32, t.gradients());
        assertEquals(3, t.seed());
        assertEquals(1, t.trainLast());
        assertEquals("momentum(0.01, 0.9)", t.optimizer().describe());
        assertEquals(Precision.UINT8, t.precision());
    }
}
