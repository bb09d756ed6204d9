package fqt.cost;

import fqt.nn.Precision;
import fqt.train.TrainingRun;
import java.util.List;
import java.util.Locale;

/**
 * A microcontroller for cost ESTIMATES. The model is deliberately simple: per training sample
 * {@code instructions = forwardMacs * perForwardMac + backwardMacs * perBackwardMac + weightUpdates * perWeightUpdate},
 * each cost in the run's precision (see {@link OpCounts} for what is counted), then
 * {@code cycles = instructions * cyclesPerInstruction}, latency from the clock and energy from the
 * energy per cycle. Requantizations are not priced on their own: in every configuration of a model
 * their count grows with the MACs of the same pass (outputs with forward MACs, input errors with
 * error propagation), so whole training steps cannot tell their cost from the MACs'. A forward
 * MAC's cost therefore includes its share of the outputs' requantization, ReLU and pooling; a
 * backward MAC's its share of the errors'; a weight update's the optimizer step and, in MIXED and
 * UINT8, the weight's requantization. Another architecture (other layer kinds or widths) needs
 * its own calibration.
 *
 * <p>What is MEASURED and what is ESTIMATED in the built-in profiles:
 * <ul>
 *   <li>measured: the instruction costs, fitted by {@link #calibrate} to our firmware's instruction
 *       counts on QEMU ({@link Measurement}, stored in {@code qemu-instructions.csv} beside this
 *       class with the command and date that produced them): the small CNN on Fashion-MNIST in each
 *       precision with batch 16, with batch 1 (sixteen times the weight updates per sample) and
 *       with only the last two layers trained (a tenth of the backward MACs);</li>
 *   <li>estimated: the cycles per instruction (QEMU counts instructions, not cycles: nothing here
 *       knows wait states, caches or pipeline stalls), the energy per cycle (the paper's measured
 *       energy per sample over its latency, i.e. its boards' power per cycle) and, for the
 *       RP2040, the instruction counts' board: firmware/core/ compiled for the Cortex-M0+
 *       (ARMv6-M, software float) and run on QEMU's Cortex-M4 board, which executes that code but
 *       is not an M0+. Clock, RAM and Flash are the data sheets'.</li>
 * </ul>
 * Make your own with the constructor, or fit a profile to your measurements with {@link #calibrate}.
 */
public record McuProfile(String name, double clockHz, Costs float32, Costs mixed, Costs uint8, double cyclesPerInstruction,
                         double joulesPerCycle, long ramBytes, long flashBytes) {

    /** Instructions per forward MAC, per backward MAC and per weight update in one precision. */
    public record Costs(double perForwardMac, double perBackwardMac, double perWeightUpdate) {
        public Costs {
            if (!(perForwardMac > 0) || !(perBackwardMac > 0) || !(perWeightUpdate >= 0)) {
                throw new IllegalArgumentException("need MAC costs > 0 and a weight update's >= 0: " + this);
            }
        }

        /** The instructions of these operations. */
        public double instructions(OpCounts ops) {
            return ops.forwardMacs() * perForwardMac + ops.backwardMacs() * perBackwardMac + ops.weightUpdates() * perWeightUpdate;
        }
    }

    public McuProfile {
        if (!(clockHz > 0) || !(cyclesPerInstruction > 0) || !(joulesPerCycle >= 0)) {
            throw new IllegalArgumentException(name + ": clock and cycles per instruction must be > 0, energy per cycle >= 0");
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
        Costs nominal = new Costs(1, 1, 0);
        return new McuProfile(name, clockHz, nominal, nominal, nominal, cyclesPerInstruction, joulesPerCycle, ramBytes, flashBytes)
                .calibrate(stored);
    }

    public Costs costs(Precision p) {
        return switch (p) {
            case FLOAT32 -> float32;
            case MIXED -> mixed;
            case UINT8 -> uint8;
        };
    }

    /** The ESTIMATED cost of one training sample with these operation counts. */
    public CostEstimate estimate(Precision p, OpCounts ops) {
        return new CostEstimate(this, p, ops, costs(p).instructions(ops));
    }

    /** The ESTIMATED cost per sample of a finished simulated run (its counted MACs, partial updates included). */
    public CostEstimate estimate(TrainingRun run) {
        return estimate(run.precision(), OpCounts.of(run));
    }

    /**
     * This profile (same name, clock, cycles per instruction, energy and memories) with its instruction
     * costs fitted to {@code measurements}: least squares of the relative error of instructions per
     * sample against the measurement's forward MACs, backward MACs and weight updates in its
     * precision. The costs of precisions no measurement has keep their values; a measured precision
     * needs configurations that tell its three costs apart (e.g. two batch sizes and fewer trained
     * layers), else this throws.
     */
    public McuProfile calibrate(List<Measurement> measurements) {
        // Unknowns: precision p's forward MAC, backward MAC and weight update costs at 3p, 3p + 1, 3p + 2.
        int n = 3 * Precision.values().length;
        double[] cost = new double[n];
        for (Precision p : Precision.values()) {
            Costs c = costs(p);
            cost[3 * p.ordinal()] = c.perForwardMac();
            cost[3 * p.ordinal() + 1] = c.perBackwardMac();
            cost[3 * p.ordinal() + 2] = c.perWeightUpdate();
        }
        boolean[] free = new boolean[n];
        for (Measurement m : measurements) for (int k = 0; k < 3; k++) free[3 * m.precision().ordinal() + k] = true;
        // Normal equations of the rows divided by their instruction counts (so each row's target is 1).
        double[][] a = new double[n][n];
        double[] b = new double[n];
        for (Measurement m : measurements) {
            int at = 3 * m.precision().ordinal();
            double[] row = {m.ops().forwardMacs(), m.ops().backwardMacs(), m.ops().weightUpdates()};
            for (int i = 0; i < 3; i++) {
                b[at + i] += row[i] / m.instructionsPerSample();
                for (int j = 0; j < 3; j++) a[at + i][at + j] += row[i] * row[j] / (m.instructionsPerSample() * m.instructionsPerSample());
            }
        }
        for (int i = 0; i < n; i++) {
            if (free[i]) continue;
            a[i][i] = 1; // an unmeasured cost's own equation: cost = itself
            b[i] = cost[i];
        }
        double[] x = solve(a, b);
        return new McuProfile(name, clockHz, new Costs(x[0], x[1], x[2]), new Costs(x[3], x[4], x[5]), new Costs(x[6], x[7], x[8]),
                cyclesPerInstruction, joulesPerCycle, ramBytes, flashBytes);
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
                throw new IllegalArgumentException("the measurements do not separate the costs (measure two batch sizes to tell "
                        + "weight updates from MACs, fewer trained layers to tell backward from forward MACs)");
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
        StringBuilder costs = new StringBuilder();
        for (Precision p : Precision.values()) {
            Costs c = costs(p);
            costs.append(String.format(Locale.ROOT, "%s %.2f/%.2f/%.1f, ", p, c.perForwardMac(), c.perBackwardMac(), c.perWeightUpdate()));
        }
        return String.format(Locale.ROOT, "%s: %sinstructions per forward MAC/backward MAC/weight update (measured on QEMU); %.2f cycles "
                + "per instruction, %.3g J per cycle (estimated); %d KiB RAM, %d KiB Flash", name, costs, cyclesPerInstruction, joulesPerCycle,
                ramBytes / 1024, flashBytes / 1024);
    }
}
