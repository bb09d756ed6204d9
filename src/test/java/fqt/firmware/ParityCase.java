package fqt.firmware;

import fqt.board.SampleFile;
import fqt.data.Dataset;
import fqt.nn.Model;
import fqt.train.Training;
import fqt.wire.ModelBlob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One parity run's inputs on disk (model blob, training samples in epoch order, evaluation
 * samples) and Java's own run of the same training, whose result file every runner (host build,
 * virtual boards) must write byte for byte.
 */
record ParityCase(String name, Path blob, Path samples, Path test, HostResult java) {
    /** Writes the files under {@code dir}; with {@code codes} the samples go as uint8 input codes. */
    static ParityCase of(String name, Training t, Dataset data, Dataset test, boolean codes, Path dir) throws IOException {
        HostResult java = JavaRun.run(t, data, test);
        Path blob = dir.resolve(name + ".blob"), samples = dir.resolve(name + ".samples"), testFile = dir.resolve(name + ".test");
        Model start = t.prepareModel(data);
        Files.write(blob, ModelBlob.write(start, t.config()));
        SampleFile.write(samples, JavaRun.epochOrder(t.config(), data), codes ? start.inputParams() : null);
        if (test != null) SampleFile.write(testFile, test);
        return new ParityCase(name, blob, samples, test != null ? testFile : null, java);
    }

    /** Where {@code actual} first differs from Java's result file, or null when they are equal. */
    String firstMismatch(byte[] actual) {
        return HostResult.firstMismatch(java.bytes(), actual);
    }
}
