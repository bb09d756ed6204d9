package fqt.djl;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.nn.Layer;
import fqt.testing.TestData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DjlImportTest {

    /** Acceptance: a model pretrained float in Java with DJL imports and predicts as DJL does. */
    @Test
    void modelTrainedWithDjlImportsAndEvaluatesIdentically() {
        DataSplit data = TestData.fashionMnist();
        Dataset test = data.test().take(3000);
        try (TorchBaseline baseline = TorchBaseline.create(DjlModels.smallCnnBn(1, 28, 28, 10), data.shape(), 10, 0.05f, 3)) {
            baseline.fit(data.train(), 32, 300, 5);
            TorchBaseline.Evaluation djl = baseline.evaluate(test);
            try (ImportedModel fp = Import.djl(baseline.model())) {
                Verification v = fp.verify(test);
                System.out.println(fp + "DJL's own evaluation: accuracy " + djl.accuracy() + "\nverify: " + v);
                assertEquals(test.size(), v.sameClass(), "every prediction the same");
                assertEquals(djl.accuracy(), fp.evaluate(test), 1e-12);
                assertTrue(djl.accuracy() > 0.7, "300 steps should learn something: " + djl.accuracy());
                assertEquals("Conv2d ReLU MaxPool2d Conv2d ReLU MaxPool2d Flatten Linear ReLU Linear", kinds(fp));
            }
        }
    }

    @Test
    void poolingWindowsAndNestedBlocksAreRecognised() {
        Torch.engine();
        try (NDManager manager = NDManager.newBaseManager(Torch.ENGINE)) {
            SequentialBlock block = new SequentialBlock()
                    .add(Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2)).build())
                    .add(Activation.reluBlock())
                    .add(Pool.avgPool2dBlock(new Shape(3, 3), new Shape(3, 3)))
                    .add(new SequentialBlock().add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(1, 1))).add(Pool.globalAvgPool2dBlock()))
                    .add(Linear.builder().setUnits(10).build());
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            try (ImportedModel fp = Import.djl(block, Fixtures.MNIST_INPUT)) {
                System.out.println(fp);
                assertEquals("Conv2d 1->4 3x3 s2, ReLU, AvgPool2d 3x3, MaxPool2d 2x2 s1, GlobalAvgPool2d, Flatten, Linear 4->10",
                        String.join(", ", fp.model().layers().stream().map(Layer::describe).toList()));
                Verification v = fp.verify(TestData.fashionMnist().test().take(200));
                assertTrue(v.maxAbsDiff() < 1e-5, v.toString());
            }
        }
    }

    private static String kinds(ImportedModel fp) {
        return String.join(" ", fp.model().layers().stream().map(Layer::kind).toList());
    }
}
