package fqt.memory;

import fqt.nn.Precision;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The bytes a device needs to train a model: the RAM arena (an ordered list of named buffers, the
 * layout of {@code firmware/ARENA.md}) and the model data kept in Flash (frozen weights and
 * constants; code not included). Made by {@link Memory#plan}.
 */
public final class MemoryPlan {
    private final String settings;
    private final Precision precision;
    private final List<Buffer> ram;
    private final long ramBytes;
    private final List<Buffer> flash;
    private final long flashBytes;

    MemoryPlan(String settings, Precision precision, List<Buffer> ram, long ramBytes, List<Buffer> flash, long flashBytes) {
        this.settings = settings;
        this.precision = precision;
        this.ram = ram;
        this.ramBytes = ramBytes;
        this.flash = flash;
        this.flashBytes = flashBytes;
    }

    /** Size of the RAM arena: the last buffer's end rounded up to 4. */
    public long ramBytes() { return ramBytes; }
    /** Model data in Flash (frozen weights and biases, constant qparams). */
    public long flashBytes() { return flashBytes; }
    public Precision precision() { return precision; }
    /** The settings planned for, in words ("UINT8, sgd(0.05), full updates"). */
    public String settings() { return settings; }
    /** The arena's buffers in layout order. */
    public List<Buffer> ramBuffers() { return ram; }
    public List<Buffer> flashBuffers() { return flash; }

    /** The buffer of that name, in RAM or Flash; throws when absent. */
    public Buffer buffer(String name) {
        for (List<Buffer> region : List.of(ram, flash)) {
            for (Buffer b : region) if (b.name().equals(name)) return b;
        }
        throw new IllegalArgumentException("no buffer '" + name + "' in this plan (" + settings + ")");
    }

    public boolean has(String name) {
        return ram.stream().anyMatch(b -> b.name().equals(name)) || flash.stream().anyMatch(b -> b.name().equals(name));
    }

    /** RAM bytes per kind; {@link Kind#PADDING} is what alignment costs, so the values sum to {@link #ramBytes()}. */
    public Map<Kind, Long> ramByKind() { return byKind(ram, ramBytes); }

    /** Flash bytes per kind, summing to {@link #flashBytes()}. */
    public Map<Kind, Long> flashByKind() { return byKind(flash, flashBytes); }

    private static Map<Kind, Long> byKind(List<Buffer> buffers, long total) {
        Map<Kind, Long> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) m.put(k, 0L);
        long used = 0;
        for (Buffer b : buffers) {
            if (b.shared()) continue;
            m.merge(b.kind(), b.bytes(), Long::sum);
            used += b.bytes();
        }
        m.put(Kind.PADDING, total - used);
        return m;
    }

    /** One row per buffer, RAM then Flash: buffer, kind, memory, bytes, offset, align, layer. */
    public Table table() {
        StringColumn name = StringColumn.create("buffer"), kind = StringColumn.create("kind"), region = StringColumn.create("memory");
        LongColumn bytes = LongColumn.create("bytes"), offset = LongColumn.create("offset");
        IntColumn align = IntColumn.create("align"), layer = IntColumn.create("layer");
        for (List<Buffer> buffers : List.of(ram, flash)) {
            for (Buffer b : buffers) {
                name.append(b.name());
                kind.append(b.kind().label());
                region.append(b.region().name());
                bytes.append(b.bytes());
                offset.append(b.offset());
                align.append(b.align());
                layer.append(b.layer());
            }
        }
        return Table.create("memory plan").addColumns(name, kind, region, bytes, offset, align, layer);
    }

    /** One row per kind: kind, ram_bytes, flash_bytes. */
    public Table breakdown() {
        Map<Kind, Long> r = ramByKind(), f = flashByKind();
        StringColumn kind = StringColumn.create("kind");
        LongColumn ramCol = LongColumn.create("ram_bytes"), flashCol = LongColumn.create("flash_bytes");
        for (Kind k : Kind.values()) {
            kind.append(k.label());
            ramCol.append(r.get(k));
            flashCol.append(f.get(k));
        }
        return Table.create("memory by kind").addColumns(kind, ramCol, flashCol);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "MemoryPlan (%s): RAM %,d B (%.1f KiB), Flash %,d B (%.1f KiB)%n",
                settings, ramBytes, ramBytes / 1024.0, flashBytes, flashBytes / 1024.0));
        Map<Kind, Long> r = ramByKind(), f = flashByKind();
        for (Kind k : Kind.values()) {
            if (r.get(k) == 0 && f.get(k) == 0) continue;
            sb.append(String.format(Locale.ROOT, "  %-10s RAM %,10d B   Flash %,10d B%n", k.label(), r.get(k), f.get(k)));
        }
        return sb.toString();
    }

    /**
     * Whether this plan trains on {@code board}: its arena at most the one the firmware linked for
     * the board leaves after its own state and the stack reserve ({@link fqt.board.BoardProfile#arenaBytes()}).
     */
    public boolean fits(fqt.board.BoardProfile board) {
        return board.fits(this);
    }
}
