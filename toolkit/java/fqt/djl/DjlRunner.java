package fqt.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import fqt.data.Dataset;

/**
 * Runs a DJL block forward in inference mode on batches of a {@link Dataset}: the reference an
 * {@link ImportedModel} is checked against. Owns the DJL model it was given (if any) and closes it.
 */
final class DjlRunner implements AutoCloseable {
    /** Samples per DJL call, unless the model takes fewer. */
    static final int BATCH = 256;

    private final Block block;
    private final NDManager manager;
    private final AutoCloseable owned;
    private final long[] sampleShape;
    private final int batch;

    /** A PyTorch block: {@code owned} (may be null) is closed with this runner; {@code sampleShape} excludes the batch axis. */
    DjlRunner(Block block, AutoCloseable owned, int[] sampleShape) {
        this(block, owned, sampleShape, Torch.engine().getEngineName(), BATCH);
    }

    /** A block of DJL engine {@code engine} that takes up to {@code batch} samples per call. */
    DjlRunner(Block block, AutoCloseable owned, int[] sampleShape, String engine, int batch) {
        this.block = block;
        this.owned = owned;
        this.manager = NDManager.newBaseManager(ai.djl.Device.cpu(), engine);
        this.sampleShape = new long[sampleShape.length];
        for (int i = 0; i < sampleShape.length; i++) this.sampleShape[i] = sampleShape[i];
        this.batch = batch;
    }

    /** Samples per {@link #forward} call at most. */
    int batch() { return batch; }

    /** Outputs of samples {@code [from, from + count)}, sample after sample. */
    float[] forward(Dataset data, int from, int count) {
        int n = data.sampleSize();
        float[] x = new float[count * n];
        float[] sample = new float[n];
        for (int k = 0; k < count; k++) {
            data.copySample(from + k, sample);
            System.arraycopy(sample, 0, x, k * n, n);
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = count;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        // Inputs and outputs live in a sub-manager freed after each batch; the weights stay with the block.
        try (NDManager batch = manager.newSubManager()) {
            NDArray in = batch.create(x, new Shape(shape));
            NDList out = block.forward(new ParameterStore(batch, false), new NDList(in), false);
            return out.singletonOrThrow().toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the DJL model failed", e);
            }
        }
    }
}
