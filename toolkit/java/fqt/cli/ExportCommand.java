package fqt.cli;

import fqt.export.CExport;
import fqt.wire.SavedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./fqt export --c MODEL.bin}: a saved model image as C source for one's own firmware. */
@Command(name = "export", description = {
    "a saved model (model image) as C for your firmware: NAME.h and NAME.c",
    "NAME.c holds the model image (firmware/BLOB.md) as a 4-aligned const uint8_t NAME_blob[] that fqt_model_blob_load"
        + " takes, and each weight layer's weights and biases as arrays; NAME.h its length and the model's parameters"
        + " (input shape, classes, layers, precision, per weight layer its shapes, scales and zero points) as macros."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--c", paramLabel = "MODEL.bin", required = true, description = "the model image to export, as fqt.wire.SavedModel.save writes it")
    Path blob;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "where NAME.h and NAME.c go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "C name of the arrays, upper case the macros' prefix (default: the file's name, model for model.bin)")
    String name;

    @Override
    public Integer call() {
        for (Path p : CExport.write(SavedModel.load(blob), out, name != null ? name : CExport.nameOf(blob))) System.out.println("wrote " + p);
        return 0;
    }
}
