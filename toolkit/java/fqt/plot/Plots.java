package fqt.plot;

import fqt.memory.MemoryPlan;
import fqt.nn.Model;
import fqt.train.Evaluation;
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * The toolkit's figures as images, for a notebook's {@code display(...)} or {@link #save}: each
 * method renders the chart of the same name in {@link Charts}.
 */
public final class Plots {
    private Plots() {}

    public static BufferedImage lossCurves(Map<String, TrainingRun> runs) { return image(Charts.lossCurves(runs)); }
    public static BufferedImage accuracyCurves(Map<String, TrainingRun> runs) { return image(Charts.accuracyCurves(runs)); }
    public static BufferedImage accuracyVsUpdateRatio(Table sweep) { return image(Charts.accuracyVsUpdateRatio(sweep)); }
    /** Speedup per lambda_min value of a sweep table. */
    public static BufferedImage backwardSpeedup(Table sweep) { return image(Charts.backwardSpeedup(sweep, "lambda_min")); }
    public static BufferedImage backwardSpeedup(Table sweep, String setting) { return image(Charts.backwardSpeedup(sweep, setting)); }
    public static BufferedImage memoryBreakdown(Map<String, MemoryPlan> plans) { return image(Charts.memoryBreakdown(plans)); }
    public static BufferedImage layerOps(Model model, Training training) { return image(Charts.layerOps(model, training)); }

    public static BufferedImage scoreHistogram(Map<String, float[]> scores, int bins) { return image(Charts.scoreHistogram(scores, bins)); }

    public static BufferedImage confusionMatrix(Evaluation evaluation) { return image(Charts.confusionMatrix(evaluation)); }

    public static BufferedImage image(Chart<?, ?> chart) { return BitmapEncoder.getBufferedImage(chart); }

    /**
     * A simulated run beside a board's ({@code fqt.board.Device#log()}): loss and training accuracy
     * of both, then the board's instructions per sample and phase, stacked in one image.
     */
    public static BufferedImage simVsDevice(TrainingRun simulated, Table deviceLog) {
        BufferedImage[] parts = {image(Charts.simVsDeviceLoss(simulated, deviceLog)), image(Charts.simVsDeviceAccuracy(simulated, deviceLog)),
                image(Charts.devicePhases(deviceLog))};
        int w = 0, h = 0;
        for (BufferedImage p : parts) {
            w = Math.max(w, p.getWidth());
            h += p.getHeight();
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, w, h);
        int y = 0;
        for (BufferedImage p : parts) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        return out;
    }

    /** Writes an image as PNG ({@code .png} path). */
    public static Path save(BufferedImage image, Path path) {
        if (!extension(path).equals("png")) throw new IllegalArgumentException("an image is saved as .png, got " + path);
        try {
            if (!ImageIO.write(image, "png", path.toFile())) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
        return path;
    }

    /** Writes a chart as PNG or SVG, by the path's extension. */
    public static Path save(Chart<?, ?> chart, Path path) {
        String ext = extension(path);
        if (ext.equals("png")) return save(image(chart), path);
        if (!ext.equals("svg")) throw new IllegalArgumentException("save as .png or .svg, got " + path);
        try (OutputStream out = Files.newOutputStream(path)) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
        return path;
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        return name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }
}
