package fqt.data;

/** A training and a test set of the same shape and classes. */
public record DataSplit(Dataset train, Dataset test) implements java.io.Serializable {
    public DataSplit {
        if (!java.util.Arrays.equals(train.shape(), test.shape()) || train.classes() != test.classes()) {
            throw new IllegalArgumentException("train (" + train + ") and test (" + test + ") differ in shape or classes");
        }
    }
    public int[] shape() { return train.shape(); }
    public int classes() { return train.classes(); }
}
