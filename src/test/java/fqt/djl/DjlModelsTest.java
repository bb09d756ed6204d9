package fqt.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DjlModelsTest {

    @Test
    void smallCnnMapsABatchOfImagesToOneLogitPerClass() {
        Torch.engine();
        try (NDManager manager = NDManager.newBaseManager(Torch.ENGINE)) {
            SequentialBlock block = DjlModels.smallCnn(1, 28, 28, 10);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            NDList out = block.forward(new ParameterStore(manager, false), new NDList(manager.zeros(new Shape(3, 1, 28, 28))), false);
            assertEquals(new Shape(3, 10), out.singletonOrThrow().getShape());

            SequentialBlock rgb = DjlModels.smallCnn(3, 32, 32, 5);
            rgb.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            out = rgb.forward(new ParameterStore(manager, false), new NDList(manager.zeros(new Shape(2, 3, 32, 32))), false);
            assertEquals(new Shape(2, 5), out.singletonOrThrow().getShape());
        }
    }

    @Test
    void smallCnnHasTheToolkitsLayerSizes() {
        Torch.engine();
        try (NDManager manager = NDManager.newBaseManager(Torch.ENGINE)) {
            SequentialBlock block = DjlModels.smallCnn(1, 28, 28, 10);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            // Conv 8x1x3x3, Conv 16x8x3x3, Linear 784->64, Linear 64->10, each with a bias.
            long[] expected = {8 * 9, 8, 16 * 8 * 9, 16, 64 * 784, 64, 10 * 64, 10};
            long[] actual = block.getParameters().stream().map(Pair::getValue).mapToLong(p -> p.getArray().size()).toArray();
            assertArrayEquals(expected, actual, block.getParameters().keys().toString());
            // Intermediate shapes: 8x28x28, 8x14x14, 16x14x14, 16x7x7, 784, 64, 10.
            Shape[] shapes = {new Shape(2, 1, 28, 28)};
            long[][] want = {{2, 8, 28, 28}, {2, 8, 28, 28}, {2, 8, 14, 14}, {2, 16, 14, 14}, {2, 16, 14, 14},
                    {2, 16, 7, 7}, {2, 784}, {2, 64}, {2, 64}, {2, 10}};
            for (int i = 0; i < want.length; i++) {
                shapes = block.getChildren().get(i).getValue().getOutputShapes(shapes);
                assertArrayEquals(want[i], shapes[0].getShape(), "after layer " + i);
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                assertEquals(DataType.FLOAT32, p.getValue().getArray().getDataType());
            }
        }
    }

    @Test
    void smallCnnRejectsImagesTooSmallForTwoPoolings() {
        assertThrows(IllegalArgumentException.class, () -> DjlModels.smallCnn(1, 1, 64, 3));
    }
}
