package fqt.cli;

import fqt.board.BoardProfile;
import fqt.board.Boards;
import fqt.board.Firmware;
import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.memory.Memory;
import fqt.memory.MemoryPlan;
import fqt.nn.Model;
import fqt.nn.Precision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./fqt memory}: the RAM and Flash a training needs (Memory.plan) and whether it fits each board profile. */
@Command(name = "memory", description = {
    "RAM and Flash of training a model (Memory.plan, firmware/ARENA.md) against board profiles: does it fit?",
    "One row per precision, batch size and board: the plan's arena (ram_bytes) and Flash model data (flash_bytes); the board's"
        + " RAM, the arena its firmware leaves after its own state and the stack reserve, the headroom (arena left, negative:"
        + " short) and whether it fits. ram_need = ram_bytes + the firmware's state + the stack reserve. --link also links the"
        + " firmware for the board with that arena (the linker's verdict)."})
final class MemoryCommand implements Callable<Integer> {
    /** ld's message when a region is too small. */
    private static final Pattern OVERFLOW = Pattern.compile("region `(\\w+)' overflowed by (\\d+) bytes?");

    @Option(names = "--model", paramLabel = "NAME|FILE", defaultValue = "small-cnn",
            description = DataMixin.MODELS + ", or a TorchScript (.pt) or ONNX (.onnx) file (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--input-shape", paramLabel = "N,C,H,W", split = ",", hideParamSyntax = true, defaultValue = "1,1,28,28",
            description = "the model's input, batch first (default: ${DEFAULT-VALUE}, Fashion-MNIST's)")
    int[] inputShape;

    @Option(names = "--classes", paramLabel = "N", defaultValue = "10", description = "classes of a ready-made model (default: ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--board", paramLabel = "NAME", split = ",", defaultValue = "all",
            description = "board profiles (${bundle:names.boards}), comma-separated, or all (default: ${DEFAULT-VALUE})")
    List<String> boards;

    @Option(names = "--link", description = "also link the firmware for each board with the plan's arena (make board-NAME-arena)")
    boolean link;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    @Mixin TrainingMixin training;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        List<BoardProfile> profiles = profiles();
        if (inputShape.length != 4) throw new IllegalArgumentException("--input-shape takes N,C,H,W, got " + Arrays.toString(inputShape));
        int[] sample = Arrays.copyOfRange(inputShape, 1, 4);
        // The ready-made models need only the data's shape and classes: an empty set of that shape.
        Dataset shape = new Dataset("shape", sample, classes, new float[0], new int[0]);
        Model m = DataMixin.model(model, inputShape, new DataSplit(shape, shape), training.seed());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Precision p : training.precisions()) {
            for (int batch : training.batches()) {
                MemoryPlan plan = Memory.plan(m, training.training(m, p, batch));
                for (BoardProfile b : profiles) rows.add(row(p, batch, plan, b));
            }
        }
        for (Map<String, Object> r : rows) spec.commandLine().getOut().println(json ? Json.object(r) : text(r));
        return 0;
    }

    private List<BoardProfile> profiles() {
        if (boards.size() == 1 && boards.get(0).equalsIgnoreCase("all")) return Boards.profiles();
        return boards.stream().map(Boards::profile).toList();
    }

    private Map<String, Object> row(Precision p, int batch, MemoryPlan plan, BoardProfile b) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model);
        r.put("precision", p.name());
        r.put("batch", batch);
        r.put("ram_bytes", plan.ramBytes());
        r.put("flash_bytes", plan.flashBytes());
        r.put("board", b.name());
        r.put("ram_need", b.ramNeed(plan));
        r.put("ram_size", b.ramBytes());
        r.put("arena_bytes", b.arenaBytes());
        r.put("headroom_bytes", b.headroom(plan));
        r.put("fits", b.fits(plan));
        if (link) r.put("linker", linker(b, plan.ramBytes()));
        return r;
    }

    /** "fits", or ld's "RAM overflowed by N bytes". */
    private static String linker(BoardProfile b, long arena) {
        Firmware.LinkCheck c = Firmware.linkCheck(b, arena);
        if (c.exitStatus() == 0) return "fits";
        Matcher m = OVERFLOW.matcher(c.output());
        if (!m.find()) throw new IllegalStateException("linking for " + b.name() + " failed:\n" + c.output());
        return m.group(1) + " overflowed by " + m.group(2) + " bytes";
    }

    private static String text(Map<String, Object> r) {
        String s = String.format(Locale.ROOT, "%-9s %-7s batch %2d  arena %,9d B  Flash %,7d B  %-10s RAM need %,9d of %,9d B, arena %,9d B:"
                + " headroom %,9d B  %s", r.get("model"), r.get("precision"), r.get("batch"), r.get("ram_bytes"), r.get("flash_bytes"),
                r.get("board"), r.get("ram_need"), r.get("ram_size"), r.get("arena_bytes"), r.get("headroom_bytes"),
                (Boolean) r.get("fits") ? "fits" : "does not fit");
        return r.containsKey("linker") ? s + " (linker: " + r.get("linker") + ")" : s;
    }
}
