package fqt.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/** DJL versions of the toolkit's float models (PyTorch layout NCHW). */
public final class DjlModels {
    private DjlModels() {}

    /**
     * The toolkit's small CNN, layer for layer the same as its own engine's float model:
     * Conv2d(8, 3x3, stride 1, pad 1) - ReLU - MaxPool 2x2/2 - Conv2d(16, 3x3, stride 1, pad 1) -
     * ReLU - MaxPool 2x2/2 - Flatten - Linear(64) - ReLU - Linear(classes). Outputs logits
     * (no softmax: the loss applies log-softmax itself).
     *
     * <p>For 1x28x28: 8x28x28, 8x14x14, 16x14x14, 16x7x7, 784, 64, classes. The block is not yet
     * initialized; DJL infers the input widths of the Linear layers when the trainer or
     * {@code Block.initialize} is given the input shape {@code (batch, channels, height, width)}.
     *
     * @throws IllegalArgumentException if height or width is below 4 (two 2x2 poolings need it)
     */
    public static SequentialBlock smallCnn(int channels, int height, int width, int classes) {
        if (channels < 1 || height < 4 || width < 4 || classes < 2) {
            throw new IllegalArgumentException("smallCnn needs channels >= 1, height and width >= 4, classes >= 2; got "
                    + channels + "x" + height + "x" + width + ", " + classes + " classes");
        }
        return new SequentialBlock()
                .add(conv3x3(8))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv3x3(16))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(64).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    /**
     * {@link #smallCnn} with a BatchNorm after each convolution (before its ReLU): the usual float
     * training recipe, whose BatchNorms {@code Import.djl} folds into the convolutions.
     */
    public static SequentialBlock smallCnnBn(int channels, int height, int width, int classes) {
        SequentialBlock plain = smallCnn(channels, height, width, classes);
        SequentialBlock withBn = new SequentialBlock();
        for (Block b : plain.getChildren().values()) {
            withBn.add(b);
            if (b instanceof Conv2d) withBn.add(BatchNorm.builder().build());
        }
        return withBn;
    }

    private static Conv2d conv3x3(int filters) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(1, 1))
                .optPadding(new Shape(1, 1))
                .build();
    }
}
