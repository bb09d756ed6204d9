package fqt.djl;

import tech.tablesaw.api.Table;

/**
 * Float versus uint8 after post-training quantization ({@link QuantizedModel#report}).
 *
 * @param floatAccuracy     accuracy of the float32 model
 * @param quantizedAccuracy accuracy of the uint8 model on the same samples
 * @param samples           samples evaluated
 * @param calibration       how the ranges were calibrated
 * @param layers            per layer: weight scale and zero point, weight RMS error (per tensor, and
 *                          per channel as an analysis), output scale and zero point, output RMS
 *                          error and SQNR (dB) against the float model
 */
public record PtqReport(double floatAccuracy, double quantizedAccuracy, int samples, String calibration, Table layers) {
    /** Quantized minus float accuracy, in percentage points. */
    public double accuracyDropPoints() { return 100 * (floatAccuracy - quantizedAccuracy); }

    @Override
    public String toString() {
        return String.format("PTQ on %d samples: float %.4f, uint8 %.4f (%+.2f points); %s%n%s", samples, floatAccuracy,
                quantizedAccuracy, -accuracyDropPoints(), calibration, layers.printAll());
    }
}
