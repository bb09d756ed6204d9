package fqt.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a {@link Model} that is not a chain: residual connections, fan-outs, inverted residual
 * blocks. Layers join the graph in the order they are applied, which is the order they run:
 * <pre>{@code
 * var g = Graph.input(1, 28, 28);
 * var x = g.input().then(new Conv2d(1, 8, 3, 1, 1)).then(new ReLU());
 * var y = x.then(new Conv2d(8, 8, 3, 1, 1)).then(new ReLU()).then(new Conv2d(8, 8, 3, 1, 1));
 * Model m = g.build(x.add(y).then(new ReLU()).then(AvgPool2d.global()).then(new Flatten()).then(new Linear(8, 10)));
 * }</pre>
 */
public final class Graph {
    private final int[] inputShape;
    private final List<Layer> layers = new ArrayList<>();
    private final List<int[]> inputs = new ArrayList<>();
    private final List<int[]> shapes = new ArrayList<>();
    private boolean built;

    private Graph(int[] inputShape) {
        this.inputShape = inputShape.clone();
        shapes.add(this.inputShape);
    }

    /** A graph whose input has this per-sample shape ({C, H, W} or {features}). */
    public static Graph input(int... shape) { return new Graph(shape); }

    /** The input tensor. */
    public Node input() { return new Node(0); }

    /** One tensor of the graph: the input, or the output of a layer. */
    public final class Node {
        final int tensor;

        private Node(int tensor) { this.tensor = tensor; }

        /** The tensor's per-sample shape. */
        public int[] shape() { return shapes.get(tensor).clone(); }
        /** Tensor number in the model: 0 the input, t + 1 the output of layer t. */
        public int tensor() { return tensor; }
        /** This tensor, then the layer (which reads it). */
        public Node then(Layer layer) { return apply(layer, this); }
        /** This tensor plus another of the same shape ({@link Add}). */
        public Node add(Node other) { return apply(new Add(), this, other); }

        Graph graph() { return Graph.this; }
    }

    /** Applies a layer to earlier tensors of this graph; the layer runs after every layer applied before it. */
    public Node apply(Layer layer, Node... in) {
        if (built) throw new IllegalStateException("this graph is built; start a new one");
        if (in.length != layer.arity()) throw new IllegalArgumentException(layer.describe() + " reads " + layer.arity() + " tensor(s), given " + in.length);
        int[] t = new int[in.length];
        for (int k = 0; k < in.length; k++) {
            if (in[k].graph() != this) throw new IllegalArgumentException(layer.describe() + ": input " + k + " belongs to another graph");
            t[k] = in[k].tensor;
        }
        int[] s = shapes.get(t[0]);
        if (layer instanceof Add && !Arrays.equals(s, shapes.get(t[1]))) {
            throw new IllegalArgumentException("Add needs two tensors of one shape, got " + Arrays.toString(s) + " and " + Arrays.toString(shapes.get(t[1])));
        }
        shapes.add(layer.outputShape(s));
        layers.add(layer);
        inputs.add(t);
        return new Node(layers.size());
    }

    /** The model whose output is {@code out}, which must be the last layer applied. */
    public Model build(Node out) {
        if (out.tensor != layers.size()) {
            throw new IllegalArgumentException("the output must be the last layer's tensor (" + layers.size() + "), got tensor " + out.tensor);
        }
        built = true;
        return new Model(inputShape, layers, inputs.toArray(new int[0][]));
    }
}
