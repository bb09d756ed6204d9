/**
 * Cost ESTIMATES for training on a microcontroller, from counted operations: {@link fqt.cost.OpCounts}
 * (MACs and requantizations per sample, from a model or a finished run) priced by a
 * {@link fqt.cost.McuProfile} into a {@link fqt.cost.CostEstimate} (cycles, latency, energy).
 * Nothing here is measured; {@link fqt.cost.McuProfile#calibrate} fits a profile to device measurements.
 */
package fqt.cost;
