package fqt.nn;

/**
 * A layer without weights whose uint8 output keeps its input's quantization parameters (ReLU,
 * pooling, Flatten), and whose uint8 input error keeps its output error's parameters.
 */
abstract class PassThroughLayer extends Layer {
    abstract void forwardF32(float[] x, float[] y);
    abstract void forwardU8(byte[] x, int xZp, byte[] y);
    abstract void backwardF32(float[] x, float[] dy, float[] dx);
    /** MIXED: uint8 features, float32 errors. */
    abstract void backwardU8F32(byte[] x, int xZp, float[] dy, float[] dx);
    abstract void backwardU8(byte[] x, int xZp, byte[] dy, int eZp, byte[] dx);

    /** The parameters of the uint8 input error, given the output error's: the same, unless the layer rescales ({@link AvgPool2d}). */
    fqt.quant.QuantParams errorParams(fqt.quant.QuantParams dy) { return dy; }

    /** Called with the input's parameters before each uint8 forward or backward ({@link Clamp}'s bounds). */
    void inputParams(fqt.quant.QuantParams p) {}

    @Override
    final void forward(Tensor x, Tensor y, Context c) {
        if (x.quantized()) {
            inputParams(x.params);
            y.params = x.params;
            forwardU8(x.q, x.params.zeroPoint(), y.q);
        } else {
            forwardF32(x.f, y.f);
        }
    }

    @Override
    final void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Context c) {
        if (dx == null) return;
        if (x.quantized()) inputParams(x.params);
        switch (c.precision) {
            case FLOAT32 -> backwardF32(x.f, dy.f, dx.f);
            case MIXED -> backwardU8F32(x.q, x.params.zeroPoint(), dy.f, dx.f);
            case UINT8 -> {
                dx.params = errorParams(dy.params);
                backwardU8(x.q, x.params.zeroPoint(), dy.q, dy.params.zeroPoint(), dx.q);
            }
        }
    }
}
