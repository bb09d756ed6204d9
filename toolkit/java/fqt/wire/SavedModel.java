package fqt.wire;

import fqt.data.Dataset;
import fqt.nn.Model;
import fqt.train.Evaluation;
import fqt.train.TrainingConfig;
import fqt.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained model with its training configuration, saved as the model image a board reads
 * ({@link ModelBlob}, {@code firmware/BLOB.md}): the file holds the whole architecture, the weights
 * (uint8 or float32) and every training setting, so {@link #load} needs nothing else.
 *
 * @param model  the model, quantized for MIXED and UINT8, float32 for FLOAT32
 * @param config the configuration it was trained with
 */
public record SavedModel(Model model, TrainingConfig config) {
    /** The trained model of a run, with the run's configuration. */
    public static SavedModel of(TrainingRun run) { return new SavedModel(run.model(), run.config()); }

    /** The model image ({@link ModelBlob#write(Model, TrainingConfig)}). */
    public byte[] blob() { return ModelBlob.write(model, config); }

    /** Writes the model image to {@code file}; returns the file. */
    public Path save(Path file) {
        try {
            return Files.write(file, blob());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Reads a model image written by {@link #save} (or by a board): a file that is not one, or is
     * truncated or corrupt, is an IllegalArgumentException naming the file and what is wrong.
     */
    public static SavedModel load(Path file) {
        byte[] blob;
        try {
            blob = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            return new SavedModel(ModelBlob.read(blob), ModelBlob.readConfig(blob));
        } catch (IllegalArgumentException | IndexOutOfBoundsException | BufferUnderflowException | ArithmeticException e) {
            // A blob with a valid CRC can still hold values no model has (an enum code out of range, a NaN weight).
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The model's class for each sample, on the evaluation stream of its configuration. */
    public int[] predict(Dataset data) { return model.predict(data, config.evaluationContext()); }

    /** Accuracy, confusion matrix and per-class table on {@code data}. */
    public Evaluation evaluate(Dataset data) { return Evaluation.of(model, config, data); }
}
