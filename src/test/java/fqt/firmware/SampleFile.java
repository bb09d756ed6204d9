package fqt.firmware;

import fqt.data.Dataset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The samples file the host runner reads ({@code firmware/host/fqt_host.c}): "FQTS", u16 version 1,
 * u8 kind (0 float32 values), u8 0, u32 count, u32 values per sample, u32 labels[count], then the
 * values, sample after sample, little-endian.
 */
final class SampleFile {
    private SampleFile() {}

    static void write(Path path, Dataset data) throws IOException {
        int n = data.size(), size = data.sampleSize();
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * n + 4 * n * size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'F', 'Q', 'T', 'S'}).putShort((short) 1).put((byte) 0).put((byte) 0).putInt(n).putInt(size);
        for (int i = 0; i < n; i++) b.putInt(data.label(i));
        float[] x = new float[size];
        for (int i = 0; i < n; i++) {
            data.copySample(i, x);
            for (float v : x) b.putFloat(v);
        }
        Files.write(path, b.array());
    }
}
