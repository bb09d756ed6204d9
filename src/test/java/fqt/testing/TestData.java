package fqt.testing;

import fqt.data.DataSplit;
import fqt.data.FashionMnist;

/** The real Fashion-MNIST (Debian's dataset-fashion-mnist, installed by the README's test command), loaded once per JVM. */
public final class TestData {
    private TestData() {}

    private static DataSplit fashion;

    public static synchronized DataSplit fashionMnist() {
        if (fashion == null) fashion = FashionMnist.load();
        return fashion;
    }
}
