package fqt.djl;

import java.util.ArrayList;
import java.util.List;

/**
 * The source model's steps in execution order with the tensors each reads: tensor 0 is the input,
 * tensor {@code k + 1} the output of step k (the toolkit's {@link fqt.nn.Model} numbering). The
 * last step's output is the model's. A chain has {@code inputs[k] = {k}}.
 */
record SourceGraph(List<SourceOp> ops, List<int[]> inputs) {
    SourceGraph {
        if (ops.size() != inputs.size()) throw new IllegalArgumentException(ops.size() + " steps, " + inputs.size() + " input lists");
        ops = List.copyOf(ops);
        inputs = List.copyOf(inputs);
    }

    /** Step k reads the output of step k - 1 (the first step reads the input). */
    static SourceGraph chain(List<SourceOp> ops) {
        List<int[]> in = new ArrayList<>();
        for (int k = 0; k < ops.size(); k++) in.add(new int[] {k});
        return new SourceGraph(ops, in);
    }

    int size() { return ops.size(); }

    /** Per tensor, how many step inputs read it. */
    int[] readCounts() {
        int[] n = new int[ops.size() + 1];
        for (int[] in : inputs) for (int t : in) n[t]++;
        return n;
    }

    /** Collects steps while a source model is walked. */
    static final class Builder {
        private final List<SourceOp> ops = new ArrayList<>();
        private final List<int[]> inputs = new ArrayList<>();

        /** Appends a step reading {@code in}; returns its output tensor. */
        int step(SourceOp op, int... in) {
            ops.add(op);
            inputs.add(in.clone());
            return ops.size();
        }

        /** The tensor of the latest step (0: none yet, the input). */
        int last() { return ops.size(); }

        SourceGraph build() { return new SourceGraph(ops, inputs); }
    }
}
