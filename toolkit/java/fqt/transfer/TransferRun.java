package fqt.transfer;

import fqt.train.TrainingRun;

/**
 * A fine-tuning run of a {@link Scenario}: the training run on the target task (its
 * {@link TrainingRun#testAccuracy()} is the target accuracy) and the accuracy on the source task's
 * test set afterwards, next to the pretrained float model's (as its pretraining run measured it), so
 * forgetting is visible.
 */
public record TransferRun(Scenario scenario, TrainingRun run, double sourceAccuracy, double pretrainedSourceAccuracy) {
    public double targetAccuracy() { return run.testAccuracy(); }

    @Override
    public String toString() {
        return String.format("%s, %s: target accuracy %.4f, source accuracy %.4f (pretrained float %.4f)",
                scenario.name(), run.precision(), targetAccuracy(), sourceAccuracy, pretrainedSourceAccuracy);
    }
}
