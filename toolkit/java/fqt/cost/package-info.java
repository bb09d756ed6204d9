/**
 * Cost ESTIMATES for training on a microcontroller, from counted operations: {@link fqt.cost.OpCounts}
 * (MACs, requantizations and weight updates per sample, from a model or a finished run) priced by a
 * {@link fqt.cost.McuProfile} into a {@link fqt.cost.CostEstimate} (instructions, cycles, latency,
 * energy). The profiles' instruction costs are fitted to instruction counts MEASURED on QEMU
 * ({@link fqt.cost.Measurement}); their cycles per instruction and energy per cycle are estimated.
 */
package fqt.cost;
