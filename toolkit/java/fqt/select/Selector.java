package fqt.select;

import fqt.nn.Layer;
import fqt.nn.Model;
import fqt.nn.Selection;
import fqt.nn.Tensor;
import fqt.nn.WeightLayer;
import fqt.select.PartialUpdates.ErrorBy;
import java.util.List;

/**
 * The stateful side of {@link PartialUpdates} for one run: the largest errors seen so far and the
 * ranking scratch, sized once for the model (no allocation per sample).
 */
final class Selector implements Selection {
    private final float lambdaMin, lambdaMax;
    private final ErrorBy errorBy;
    /** Layer index exempt from selection (the head), or -1. */
    private final int fullLayer;
    private final int[] key;
    private final float[] magF;
    private final long[] scratch;
    /** Per layer index: the largest mean |error| so far (LAYER_MEAN_ERROR). */
    private final float[] layerMax;
    private float loss, lossMax;

    Selector(Model m, float lambdaMin, float lambdaMax, ErrorBy errorBy, boolean fullHead) {
        this.lambdaMin = lambdaMin;
        this.lambdaMax = lambdaMax;
        this.errorBy = errorBy;
        List<WeightLayer> w = m.weightLayers();
        this.fullLayer = fullHead ? w.get(w.size() - 1).index() : -1;
        int n = 0;
        for (Layer l : m.layers()) if (l.weights() != null) n = Math.max(n, l.weights().structures);
        key = new int[n];
        magF = new float[n];
        scratch = new long[n];
        layerMax = new float[m.layers().size()];
    }

    @Override
    public void beginSample(float loss) {
        this.loss = loss;
        if (loss > lossMax) lossMax = loss;
    }

    @Override
    public int select(int layer, Tensor dy, int structures, int[] sel) {
        if (structures > key.length || dy.size % structures != 0) {
            throw new IllegalArgumentException("layer " + layer + ": " + dy.size + " error elements do not split into " + structures
                    + " structures of this selector's model; use a selector made for the model being trained");
        }
        if (layer == fullLayer) return Selection.ALL.select(layer, dy, structures, sel);
        int per = dy.size / structures;
        float mean;
        if (dy.quantized()) {
            Select.magnitudesU8(dy.q, dy.params.zeroPoint(), structures, per, key);
            mean = errorBy == ErrorBy.LAYER_MEAN_ERROR ? Select.meanU8(key, structures, dy.params.scale(), dy.size) : 0f;
        } else {
            Select.magnitudesF32(dy.f, structures, per, magF);
            for (int s = 0; s < structures; s++) key[s] = Float.floatToRawIntBits(magF[s]);
            mean = errorBy == ErrorBy.LAYER_MEAN_ERROR ? Select.meanF32(magF, structures, dy.size) : 0f;
        }
        int k;
        if (errorBy == ErrorBy.SAMPLE_LOSS) {
            k = Select.budget(lambdaMin, lambdaMax, loss, lossMax, structures);
        } else {
            if (mean > layerMax[layer]) layerMax[layer] = mean;
            k = Select.budget(lambdaMin, lambdaMax, mean, layerMax[layer], structures);
        }
        return Select.topK(key, structures, k, scratch, sel);
    }
}
