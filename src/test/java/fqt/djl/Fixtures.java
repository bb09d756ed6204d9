package fqt.djl;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The TorchScript files data/fixtures/make_fixtures.py wrote into src/test/resources/fixtures/. */
final class Fixtures {
    private Fixtures() {}

    static final int[] MNIST_INPUT = Import.inputShape(1, 1, 28, 28);

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name);
        if (url == null) throw new IllegalStateException("fixture " + name + " is missing; run data/fixtures/make_fixtures.py");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
