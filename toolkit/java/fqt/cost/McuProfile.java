package fqt.cost;

import fqt.nn.Precision;
import fqt.train.TrainingRun;
import java.util.List;
import java.util.Locale;

/**
 * A microcontroller for cost ESTIMATES. The model is deliberately simple:
 * {@code instructions = MACs * instructionsPerMac(precision) + requantElements * instructionsPerRequant}
 * per training sample (see {@link OpCounts} for what is counted), then
 * {@code cycles = instructions * cyclesPerInstruction}, latency from the clock and energy from the
 * energy per cycle.
 *
 * <p>What is MEASURED and what is ESTIMATED in the built-in profiles:
 * <ul>
 *   <li>measured: the instruction costs, fitted by {@link #calibrate} to our firmware's instruction
 *       counts on QEMU ({@link Measurement}, stored in {@code qemu-instructions.csv} beside this
 *       class with the command and date that produced them): the small CNN on Fashion-MNIST in each
 *       precision with batch 16, and in UINT8 with batch 1, whose sixteen times more weight
 *       requantizations per sample separate their cost from the MACs'. So a MAC's cost includes
 *       the loads, zero points and loops around it, and a requantization's is mostly that of a
 *       weight's update (optimizer step and requantization, about 60 instructions on the M4, where
 *       a feature's requantization takes about 22): configurations with a different balance of the
 *       two come out high, e.g. training only the last two layers of the small CNN by 17 % on the
 *       M4, while other batch sizes, precisions and partial updates stay within about 7 %;</li>
 *   <li>estimated: the cycles per instruction (QEMU counts instructions, not cycles: nothing here
 *       knows wait states, caches or pipeline stalls), the energy per cycle (the paper's measured
 *       energy per sample over its latency, i.e. its boards' power per cycle) and, for the
 *       RP2040, the instruction counts' board: firmware/core/ compiled for the Cortex-M0+
 *       (ARMv6-M, software float) and run on QEMU's Cortex-M4 board, which executes that code but
 *       is not an M0+. Clock, RAM and Flash are the data sheets'.</li>
 * </ul>
 * Make your own with the constructor, or fit a profile to your measurements with {@link #calibrate}.
 */
public record McuProfile(String name, double clockHz, double instructionsPerMacFloat32, double instructionsPerMacMixed,
                         double instructionsPerMacUint8, double instructionsPerRequant, double cyclesPerInstruction,
                         double joulesPerCycle, long ramBytes, long flashBytes) {

    /** Index of the requantization cost among the fitted unknowns, after the three precisions'. */
    private static final int REQUANT = 3;

    public McuProfile {
        if (!(clockHz > 0) || !(instructionsPerMacFloat32 > 0) || !(instructionsPerMacMixed > 0) || !(instructionsPerMacUint8 > 0)
                || !(instructionsPerRequant >= 0) || !(cyclesPerInstruction > 0) || !(joulesPerCycle >= 0)) {
            throw new IllegalArgumentException(name + ": clock, instructions per MAC and cycles per instruction must be > 0, "
                    + "requantization and energy costs >= 0");
        }
    }

    /**
     * Raspberry Pi RP2040 (Pico), Cortex-M0+ @ 133 MHz, 264 KB RAM, 2 MB Flash. Instruction costs
     * measured for M0+ code on the QEMU M4 board; 1.4 cycles per instruction estimated (2-cycle
     * loads, stores and taken branches).
     */
    public static McuProfile rp2040() {
        return measured("RP2040 Cortex-M0+ @133 MHz", "m0plus-on-m4", 133e6, 1.4, 6.17e-12, 264 * 1024, 2 * 1024 * 1024);
    }

    /**
     * Nordic nRF52840, Cortex-M4F @ 64 MHz, 256 KB RAM, 1 MB Flash. Instruction costs measured on
     * the QEMU M4 board; 1.3 cycles per instruction estimated (Flash cache, 2-cycle loads).
     */
    public static McuProfile nrf52840() {
        return measured("nRF52840 Cortex-M4F @64 MHz", "m4", 64e6, 1.3, 4.17e-10, 256 * 1024, 1024 * 1024);
    }

    /**
     * NXP i.MX RT1062 (Teensy 4.x), Cortex-M7 @ 600 MHz, 1 MB RAM, 2 MB Flash. Instruction costs
     * measured on the QEMU M7 board; 0.8 cycles per instruction estimated (dual issue, code and data
     * in tightly coupled memory).
     */
    public static McuProfile imxrt1062() {
        return measured("i.MX RT1062 Cortex-M7 @600 MHz", "m7", 600e6, 0.8, 8.00e-12, 1024 * 1024, 2 * 1024 * 1024);
    }

    /** The paper's three boards. */
    public static List<McuProfile> paperBoards() { return List.of(rp2040(), nrf52840(), imxrt1062()); }

    /** A profile whose instruction costs are fitted to the stored measurements of {@code board}, all precisions. */
    private static McuProfile measured(String name, String board, double clockHz, double cyclesPerInstruction, double joulesPerCycle,
                                       long ramBytes, long flashBytes) {
        List<Measurement> stored = Measurement.stored(board);
        for (Precision p : Precision.values()) {
            if (stored.stream().noneMatch(m -> m.precision() == p)) throw new IllegalStateException("no stored " + p + " measurement of " + board);
        }
        return new McuProfile(name, clockHz, 1, 1, 1, 0, cyclesPerInstruction, joulesPerCycle, ramBytes, flashBytes).calibrate(stored);
    }

    public double instructionsPerMac(Precision p) {
        return switch (p) {
            case FLOAT32 -> instructionsPerMacFloat32;
            case MIXED -> instructionsPerMacMixed;
            case UINT8 -> instructionsPerMacUint8;
        };
    }

    /** The ESTIMATED cost of one training sample with these operation counts. */
    public CostEstimate estimate(Precision p, OpCounts ops) {
        return new CostEstimate(this, p, ops, ops.totalMacs() * instructionsPerMac(p) + ops.requantElements() * instructionsPerRequant);
    }

    /** The ESTIMATED cost per sample of a finished simulated run (its counted MACs, partial updates included). */
    public CostEstimate estimate(TrainingRun run) {
        return estimate(run.precision(), OpCounts.of(run));
    }

    /**
     * This profile (same name, clock, cycles per instruction, energy and memories) with its instruction costs fitted to {@code measurements} (least squares of the
     * relative error; instructions per sample against MACs per sample in the measurement's precision
     * and requantized elements per sample). Costs no measurement involves keep their values; the
     * measurements must tell the others apart (e.g. two batch sizes for the MACs of a precision and
     * the requantizations), else this throws.
     */
    public McuProfile calibrate(List<Measurement> measurements) {
        double[] cost = {instructionsPerMacFloat32, instructionsPerMacMixed, instructionsPerMacUint8, instructionsPerRequant};
        boolean[] free = new boolean[cost.length];
        for (Measurement m : measurements) {
            free[m.precision().ordinal()] |= m.ops().totalMacs() > 0;
            free[REQUANT] |= m.ops().requantElements() > 0;
        }
        // Normal equations of the rows divided by their instruction counts, fixed costs moved to the right.
        double[][] a = new double[cost.length][cost.length];
        double[] b = new double[cost.length];
        for (Measurement m : measurements) {
            double[] row = new double[cost.length];
            row[m.precision().ordinal()] = m.ops().totalMacs() / m.instructionsPerSample();
            row[REQUANT] = m.ops().requantElements() / m.instructionsPerSample();
            double rhs = 1;
            for (int j = 0; j < cost.length; j++) if (!free[j]) rhs -= row[j] * cost[j];
            for (int i = 0; i < cost.length; i++) {
                if (!free[i]) continue;
                b[i] += row[i] * rhs;
                for (int j = 0; j < cost.length; j++) if (free[j]) a[i][j] += row[i] * row[j];
            }
        }
        for (int i = 0; i < cost.length; i++) {
            if (free[i]) continue;
            a[i][i] = 1; // a fixed cost's own equation: cost = itself
            b[i] = cost[i];
        }
        double[] x = solve(a, b);
        return new McuProfile(name, clockHz, x[0], x[1], x[2], x[REQUANT], cyclesPerInstruction, joulesPerCycle, ramBytes, flashBytes);
    }

    /** Gaussian elimination with partial pivoting; throws when the measurements cannot tell the costs apart. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double scale = 0;
        for (double[] row : a) for (double v : row) scale = Math.max(scale, Math.abs(v));
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
            if (!(Math.abs(a[p][c]) > 1e-12 * scale)) {
                throw new IllegalArgumentException("the measurements do not separate the costs (e.g. measure two batch sizes "
                        + "to tell requantizations from MACs)");
            }
            double[] t = a[c]; a[c] = a[p]; a[p] = t;
            double s = b[c]; b[c] = b[p]; b[p] = s;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k < n; k++) a[r][k] -= f * a[c][k];
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) s -= a[r][k] * x[k];
            x[r] = s / a[r][r];
        }
        for (double v : x) {
            if (!(v >= 0)) throw new IllegalArgumentException("the measurements give a negative cost: they do not fit this model");
        }
        return x;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %.2f/%.2f/%.2f instructions per MAC (float32/mixed/uint8), %.1f per requantization "
                + "(measured on QEMU); %.2f cycles per instruction, %.3g J per cycle (estimated); %d KiB RAM, %d KiB Flash", name,
                instructionsPerMacFloat32, instructionsPerMacMixed, instructionsPerMacUint8, instructionsPerRequant, cyclesPerInstruction,
                joulesPerCycle, ramBytes / 1024, flashBytes / 1024);
    }
}
