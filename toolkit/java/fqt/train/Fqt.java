package fqt.train;

import fqt.nn.Model;

/** The entry point of a training run: {@code Fqt.train(model).precision(UINT8)...fit(train, test)}. */
public final class Fqt {
    private Fqt() {}

    /** A training of a copy of {@code model} (the model itself is left unchanged). */
    public static Training train(Model model) {
        return new Training(model);
    }
}
