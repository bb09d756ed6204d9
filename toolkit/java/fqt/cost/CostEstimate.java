package fqt.cost;

import fqt.memory.MemoryPlan;
import fqt.nn.Precision;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * An ESTIMATE, not a measurement: the instructions, cycles, latency and energy of one training
 * sample on a {@link McuProfile}, from counted operations ({@link OpCounts}). The instructions
 * come from costs measured on QEMU; cycles, latency and energy also rest on the profile's
 * estimated cycles per instruction and energy per cycle.
 */
public record CostEstimate(McuProfile profile, Precision precision, OpCounts ops, double estimatedInstructions) {

    public double estimatedCycles() { return estimatedInstructions * profile.cyclesPerInstruction(); }

    public double estimatedLatencyMillis() { return estimatedCycles() / profile.clockHz() * 1e3; }

    public double estimatedEnergyMillijoules() { return estimatedCycles() * profile.joulesPerCycle() * 1e3; }

    /** Whether a plan's RAM arena and Flash data fit the profile's memories. */
    public boolean fits(MemoryPlan plan) {
        return plan.ramBytes() <= profile.ramBytes() && plan.flashBytes() <= profile.flashBytes();
    }

    /**
     * One row per estimate: mcu, precision, estimated_instructions (from costs measured on QEMU),
     * estimated_cycles, estimated_latency_ms, estimated_energy_mj (also from estimated cycles per
     * instruction and energy per cycle).
     */
    public static Table table(List<CostEstimate> estimates) {
        StringColumn mcu = StringColumn.create("mcu"), precision = StringColumn.create("precision");
        DoubleColumn instructions = DoubleColumn.create("estimated_instructions"), cycles = DoubleColumn.create("estimated_cycles"), ms = DoubleColumn.create("estimated_latency_ms"),
                mj = DoubleColumn.create("estimated_energy_mj");
        for (CostEstimate e : estimates) {
            mcu.append(e.profile().name());
            precision.append(e.precision().name());
            instructions.append(e.estimatedInstructions());
            cycles.append(e.estimatedCycles());
            ms.append(e.estimatedLatencyMillis());
            mj.append(e.estimatedEnergyMillijoules());
        }
        return Table.create("ESTIMATED cost per training sample").addColumns(mcu, precision, instructions, cycles, ms, mj);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ESTIMATE %s %s per training sample: %,.0f instructions (costs measured on QEMU), "
                + "%,.0f cycles, %.1f ms, %.3f mJ (%.2f cycles per instruction and %.3g J per cycle estimated); %s", profile.name(),
                precision, estimatedInstructions, estimatedCycles(), estimatedLatencyMillis(), estimatedEnergyMillijoules(),
                profile.cyclesPerInstruction(), profile.joulesPerCycle(), ops);
    }
}
