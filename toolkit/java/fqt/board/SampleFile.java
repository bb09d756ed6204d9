package fqt.board;

import fqt.data.Dataset;
import fqt.quant.QuantParams;
import fqt.quant.Rounding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The samples file the runners read ({@code firmware/host/fqt_host.c} on the host,
 * {@code firmware/port/mps2/test/runner.c} on a virtual board): "FQTS", u16 version 1, u8 kind
 * (0 float32 values, 1 uint8 input codes), u8 0, u32 count, u32 values per sample,
 * u32 labels[count], then the values, sample after sample, little-endian.
 */
public final class SampleFile {
    private SampleFile() {}

    /** The samples as float32 values. */
    public static void write(Path path, Dataset data) {
        write(path, data, null);
    }

    /**
     * With {@code input} parameters, the samples go as uint8 codes, quantized as the model quantizes
     * its input (to nearest): what a host sends a board.
     */
    public static void write(Path path, Dataset data, QuantParams input) {
        int n = data.size(), size = data.sampleSize();
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * n + (input != null ? 1 : 4) * n * size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'F', 'Q', 'T', 'S'}).putShort((short) 1).put((byte) (input != null ? 1 : 0)).put((byte) 0).putInt(n).putInt(size);
        for (int i = 0; i < n; i++) b.putInt(data.label(i));
        float[] x = new float[size];
        byte[] q = new byte[size];
        for (int i = 0; i < n; i++) {
            data.copySample(i, x);
            if (input != null) {
                input.quantize(x, q, Rounding.NEAREST, null);
                b.put(q);
            } else {
                for (float v : x) b.putFloat(v);
            }
        }
        try {
            Files.write(path, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}
