package fqt.sweep;

import fqt.nn.ErrorRange;
import fqt.nn.Gradients;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.select.PartialUpdates;
import fqt.train.Defaults;
import fqt.train.Optimizer;
import fqt.train.Training;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The training options a sweep can vary, by name, as text: how each one configures a
 * {@link Training}. Values are plain strings so a run's options serialize, key the CSV and travel.
 */
public final class TrainingOptions {
    private TrainingOptions() {}

    /** The optimizers by the names {@link Optimizer#named} takes. */
    public static final List<String> OPTIMIZERS = List.of("sgd", "standardized", "momentum", "adam");

    /** The name of {@link Defaults#OPTIMIZER}: Defaults holds the optimizer, a sweep's column its name. */
    public static final String DEFAULT_OPTIMIZER = Defaults.OPTIMIZER.name();

    /**
     * Options every run has, with their defaults ({@link Defaults}), in column order (seed is always
     * last). lr has none here: unless set, each run has its optimizer's default ({@link #defaultLearningRate}).
     */
    static final Map<String, String> DEFAULTS = ordered(
            "precision", Defaults.PRECISION.name(), "optimizer", DEFAULT_OPTIMIZER, "lr", null, "rounding", Defaults.ROUNDING.name(),
            "batch", Integer.toString(Defaults.BATCH), "epochs", Integer.toString(Defaults.EPOCHS),
            "lambda_min", Float.toString(Defaults.PARTIAL_UPDATES.lambdaMin()));

    /** The lr of a run whose sweep sets none: its optimizer's default learning rate. */
    static String defaultLearningRate(Map<String, String> options) {
        return Float.toString(Optimizer.defaultLearningRate(options.get("optimizer")));
    }

    /** Options that call one setter each. */
    private static final Map<String, BiConsumer<Training, String>> SETTERS = Map.ofEntries(
            Map.entry("precision", (t, v) -> t.precision(Precision.valueOf(upper(v)))),
            Map.entry("rounding", (t, v) -> t.rounding(Rounding.valueOf(upper(v)))),
            Map.entry("batch", (t, v) -> t.batch(Integer.parseInt(v))),
            Map.entry("epochs", (t, v) -> t.epochs(Integer.parseInt(v))),
            Map.entry("seed", (t, v) -> t.seed(Long.parseLong(v))),
            Map.entry("error_range", (t, v) -> t.errorRange(ErrorRange.valueOf(upper(v)))),
            Map.entry("alpha_a", (t, v) -> t.alphaA(Float.parseFloat(v))),
            Map.entry("alpha_e", (t, v) -> t.alphaE(Float.parseFloat(v))),
            Map.entry("calibration", (t, v) -> t.calibration(Integer.parseInt(v))),
            Map.entry("train_last", (t, v) -> t.trainLast(Integer.parseInt(v))),
            Map.entry("bias_only", (t, v) -> t.biasOnly(Boolean.parseBoolean(v))),
            Map.entry("gradients", (t, v) -> t.gradients(Gradients.valueOf(upper(v)))));

    /** Options read together: the optimizer with its learning rate, the partial-update budget. */
    private static final java.util.Set<String> COMBINED = java.util.Set.of("optimizer", "lr", "lambda_min", "lambda_max", "error_by", "full_head");

    static boolean known(String name) { return SETTERS.containsKey(name) || COMBINED.contains(name); }

    static String knownNames() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(SETTERS.keySet());
        all.addAll(COMBINED);
        return String.join(", ", all);
    }

    /** Applies every option of a run to {@code t}; throws naming an unknown option or bad value. */
    static Training configure(Training t, Map<String, String> options) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            BiConsumer<Training, String> setter = SETTERS.get(e.getKey());
            if (setter == null && !COMBINED.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown training option '" + e.getKey() + "' (known: " + knownNames() + ")");
            }
            try {
                if (setter != null) setter.accept(t, e.getValue());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("option " + e.getKey() + " = '" + e.getValue() + "': " + bad.getMessage(), bad);
            }
        }
        t.optimizer(Optimizer.named(options.get("optimizer"), Float.parseFloat(options.get("lr"))));
        t.partialUpdates(partialUpdates(options));
        return t;
    }

    /** lambda_min (1 = full updates), with lambda_max, error_by and full_head (the head always updated in full) when given. */
    private static PartialUpdates partialUpdates(Map<String, String> o) {
        PartialUpdates p = PartialUpdates.lambdaMin(Double.parseDouble(o.get("lambda_min")));
        if (o.containsKey("lambda_max")) p = p.lambdaMax(Double.parseDouble(o.get("lambda_max")));
        if (o.containsKey("error_by")) p = p.errorBy(PartialUpdates.ErrorBy.valueOf(upper(o.get("error_by"))));
        if (o.containsKey("full_head")) p = p.fullHead(Boolean.parseBoolean(o.get("full_head")));
        return p;
    }

    private static String upper(String v) { return v.toUpperCase(Locale.ROOT).replace('-', '_'); }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
