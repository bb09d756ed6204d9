package fqt.cost;

import fqt.nn.Precision;
import fqt.train.TrainingRun;
import java.util.List;
import java.util.Locale;

/**
 * A microcontroller for cost ESTIMATES: clock, effective cycles per multiply-accumulate in each
 * precision (everything around the MAC loops included: loads, zero points, range tracking), cycles
 * per requantized element, energy per cycle, RAM and Flash size. The model is deliberately simple:
 * {@code cycles = MACs * cyclesPerMac(precision) + requantElements * cyclesPerRequant} (see
 * {@link OpCounts} for what is counted). Make your own with the constructor, or fit one to a
 * device measurement with {@link #calibrate}.
 *
 * <p>The built-in profiles are the paper's boards, fitted to its measured latency of the small CNN
 * ({@code Models.smallCnn}, 28x28, batch 16: 874,432 MACs and 15,160 / 12,734 / 0 requantized elements
 * per sample in UINT8 / MIXED / FLOAT32); their energy per cycle is the paper's energy divided by its
 * cycles. Requantization costs are nominal: 10 cycles with an FPU, 80 with software float.
 */
public record McuProfile(String name, double clockHz, double cyclesPerMacFloat32, double cyclesPerMacMixed,
                         double cyclesPerMacUint8, double cyclesPerRequant, double joulesPerCycle, long ramBytes, long flashBytes) {

    public McuProfile {
        if (!(clockHz > 0) || !(cyclesPerMacFloat32 > 0) || !(cyclesPerMacMixed > 0) || !(cyclesPerMacUint8 > 0)
                || !(cyclesPerRequant >= 0) || !(joulesPerCycle >= 0)) {
            throw new IllegalArgumentException(name + ": clock and cycles per MAC must be > 0, requantization and energy costs >= 0");
        }
    }

    /**
     * Raspberry Pi RP2040 (Pico), Cortex-M0+ @ 133 MHz, 264 KB RAM, 2 MB Flash. UINT8 fitted to
     * 817.1 ms; no FPU, so float MACs are assumed 1.5x (MIXED) and 2x (FLOAT32) as expensive.
     */
    public static McuProfile rp2040() {
        return new McuProfile("RP2040 Cortex-M0+ @133 MHz", 133e6, 245.8, 184.3, 122.9, 80, 6.17e-12, 264 * 1024, 2 * 1024 * 1024);
    }

    /** Nordic nRF52840, Cortex-M4F @ 64 MHz, 256 KB RAM, 1 MB Flash. UINT8 fitted to 897.6 ms; MIXED/FLOAT32 in the M7's ratios. */
    public static McuProfile nrf52840() {
        return new McuProfile("nRF52840 Cortex-M4F @64 MHz", 64e6, 67.29, 64.84, 65.52, 10, 4.17e-10, 256 * 1024, 1024 * 1024);
    }

    /** NXP i.MX RT1062 (Teensy 4.x), Cortex-M7 @ 600 MHz, 1 MB RAM, 2 MB Flash; fitted to 36.1 / 35.0 / 35.4 ms. */
    public static McuProfile imxrt1062() {
        return new McuProfile("i.MX RT1062 Cortex-M7 @600 MHz", 600e6, 24.77, 23.87, 24.12, 10, 8.00e-12, 1024 * 1024, 2 * 1024 * 1024);
    }

    /** The paper's three boards. */
    public static List<McuProfile> paperBoards() { return List.of(rp2040(), nrf52840(), imxrt1062()); }

    public double cyclesPerMac(Precision p) {
        return switch (p) {
            case FLOAT32 -> cyclesPerMacFloat32;
            case MIXED -> cyclesPerMacMixed;
            case UINT8 -> cyclesPerMacUint8;
        };
    }

    /** The ESTIMATED cost of one training sample with these operation counts. */
    public CostEstimate estimate(Precision p, OpCounts ops) {
        return new CostEstimate(this, p, ops, ops.totalMacs() * cyclesPerMac(p) + ops.requantElements() * cyclesPerRequant);
    }

    /** The ESTIMATED cost per sample of a finished simulated run (its counted MACs, partial updates included). */
    public CostEstimate estimate(TrainingRun run) {
        return estimate(run.precision(), OpCounts.of(run));
    }

    /**
     * This profile fitted to device measurements: the cycles per MAC of precision {@code p} are set
     * so that {@code ops} costs the mean of {@code measuredCycles} (cycles of one training sample each,
     * e.g. from DWT CYCCNT); the other values stay. Throws when the requantizations alone cost more.
     */
    public McuProfile calibrate(Precision p, OpCounts ops, double... measuredCycles) {
        if (measuredCycles.length == 0) throw new IllegalArgumentException("calibrate needs at least one measurement");
        double mean = java.util.Arrays.stream(measuredCycles).average().orElseThrow();
        double perMac = (mean - ops.requantElements() * cyclesPerRequant) / ops.totalMacs();
        if (!(perMac > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %.0f measured cycles do not cover the %.0f requantizations "
                    + "at %.1f cycles each; lower cyclesPerRequant", name, mean, ops.requantElements(), cyclesPerRequant));
        }
        return new McuProfile(name + " (calibrated)", clockHz,
                p == Precision.FLOAT32 ? perMac : cyclesPerMacFloat32, p == Precision.MIXED ? perMac : cyclesPerMacMixed,
                p == Precision.UINT8 ? perMac : cyclesPerMacUint8, cyclesPerRequant, joulesPerCycle, ramBytes, flashBytes);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %.1f/%.1f/%.1f cycles per MAC (float32/mixed/uint8), %.0f per requantization, "
                + "%.3g J per cycle, %d KiB RAM, %d KiB Flash", name, cyclesPerMacFloat32, cyclesPerMacMixed, cyclesPerMacUint8,
                cyclesPerRequant, joulesPerCycle, ramBytes / 1024, flashBytes / 1024);
    }
}
