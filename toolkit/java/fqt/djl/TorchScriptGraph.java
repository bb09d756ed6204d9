package fqt.djl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives the layer graph of a TorchScript model from its code: runs the root module's
 * {@code forward} symbolically over the module tree of {@code data.pkl}, following calls into
 * submodules, and records every tensor operator it meets as a {@link SourceOp}. Both styles
 * TorchScript writes are understood: scripted modules (torch.nn's {@code forward} calling the
 * {@code torch.nn.functional} wrappers, which are recognised by name) and traced ones (aten
 * operators with every argument spelled out). {@code if} runs when its condition is a constant
 * (the module's {@code training} flag, an argument default). Every tensor is a node of a
 * {@link SourceGraph}: a tensor may feed several operators and {@code torch.add} joins two
 * (residual connections). Other control flow, operators without a toolkit layer, a tensor read
 * after an in-place operator changed it, and results nothing uses are {@link ImportException}s
 * naming the operator, the module and the code line.
 */
final class TorchScriptGraph {
    /** Where a module tensor's values come from: DJL for parameters, the archive for buffers. */
    interface Params {
        SourceOp.Param get(String name, Pickle.TensorRef stored);
    }

    private record Module(Pickle.Obj obj, String path) {
        String cls() { return obj.type.name(); }
        String describe() { return (path.isEmpty() ? "root" : "'" + path + "'") + " " + cls(); }
    }

    /** A tensor computed from the input: tensor {@code id} of the graph (0 the input, k + 1 step k's output). */
    private record Act(int id) {}

    /** {@code torch.size(x, 0)}: the batch size, which only a reshape to {@code [batch, -1]} may use. */
    private record Batch() {}

    /** A tensor attribute of a module (parameter or buffer), by its dotted name. */
    private record Stored(String name, Pickle.TensorRef ref) {}

    /** A dotted name not bound locally: {@code torch.relu}, {@code __torch__.torch.nn.functional.relu}. */
    private record Namespace(String qualified) {}

    private record Frame(Module self, String file, Map<String, Object> locals) {}

    private static final int MAX_DEPTH = 64;
    private static final String F = "__torch__.torch.nn.functional.";

    private final TorchScriptArchive archive;
    private final Params params;
    private final Map<String, Map<String, PyCode.ClassDef>> parsed = new HashMap<>();
    private final SourceGraph.Builder graph = new SourceGraph.Builder();
    /** Tensors an in-place operator overwrote, with that operator: reading them again is an error. */
    private final Map<Integer, String> overwritten = new HashMap<>();
    private int depth;

    private TorchScriptGraph(TorchScriptArchive archive, Params params) {
        this.archive = archive;
        this.params = params;
    }

    /** The graph of the root module's forward. */
    static SourceGraph ofRoot(TorchScriptArchive archive, Params params) {
        return of(archive, params, "");
    }

    /** The graph of one module's forward on its own ({@code path} as in {@link TorchScriptArchive#module}). */
    static SourceGraph of(TorchScriptArchive archive, Params params, String path) {
        Pickle.Obj obj = archive.module(path);
        if (obj == null) throw new ImportException(archive.file + ": no module '" + path + "'");
        TorchScriptGraph g = new TorchScriptGraph(archive, params);
        Module m = new Module(obj, path);
        Object out = g.call(m, "forward", List.of(new Act(0)), "the model");
        if (!(out instanceof Act a)) {
            throw new ImportException(archive.file + ": " + m.describe() + ".forward returns " + describe(out) + "; only one tensor output is supported");
        }
        SourceGraph graph = g.graph.build();
        int[] reads = graph.readCounts();
        for (int t = 1; t <= graph.size(); t++) {
            if (reads[t] == 0 && t != a.id()) {
                throw new ImportException(archive.file + ": the result of " + graph.ops().get(t - 1).source() + " is not used by "
                        + m.describe() + ".forward's output; unused branches are not supported");
            }
        }
        if (a.id() != graph.size()) {
            throw new ImportException(archive.file + ": " + m.describe() + ".forward returns " + (a.id() == 0 ? "its input" : "the result of "
                    + graph.ops().get(a.id() - 1).source()) + ", not of its last operator");
        }
        return graph;
    }

    private Object call(Module m, String method, List<Object> args, String caller) {
        if (++depth > MAX_DEPTH) throw new ImportException(archive.file + ": calls nested deeper than " + MAX_DEPTH + " at " + m.describe());
        try {
            String file = m.obj.type.module();
            PyCode.ClassDef cls = classes(file).get(m.cls());
            if (cls == null) {
                throw new ImportException(archive.file + ": the code of " + m.obj.type.qualified() + " (used by " + caller + ") is missing");
            }
            PyCode.Method code = cls.methods().get(method);
            if (code == null) throw new ImportException(archive.file + ": " + m.describe() + " has no method " + method);
            if (code.params().size() != args.size() + 1) {
                throw new ImportException(archive.file + ": " + m.describe() + "." + method + " takes " + (code.params().size() - 1)
                        + " argument(s), called with " + args.size());
            }
            Map<String, Object> locals = new HashMap<>();
            locals.put(code.params().get(0), m);
            for (int i = 0; i < args.size(); i++) locals.put(code.params().get(i + 1), args.get(i));
            Frame f = new Frame(m, "code/" + file.replace('.', '/') + ".py", locals);
            Object[] result = run(code.body(), f);
            return result == null ? null : result[0];
        } finally {
            depth--;
        }
    }

    private Map<String, PyCode.ClassDef> classes(String module) {
        return parsed.computeIfAbsent(module, k -> {
            String source = archive.code(k);
            return source == null ? Map.of() : PyCode.parse(source);
        });
    }

    /** Runs statements; a one-element array holds the returned value, null means none returned. */
    private Object[] run(List<PyCode.Stmt> body, Frame f) {
        for (PyCode.Stmt s : body) {
            if (s instanceof PyCode.Assign a) {
                Object v = eval(a.value(), f, a.line());
                if (a.targets().size() == 1) {
                    f.locals.put(a.targets().get(0), v);
                } else if (v instanceof List<?> l && l.size() == a.targets().size()) {
                    for (int i = 0; i < l.size(); i++) f.locals.put(a.targets().get(i), l.get(i));
                } else {
                    throw error(f, a.line(), "cannot unpack " + describe(v) + " into " + a.targets());
                }
            } else if (s instanceof PyCode.Return r) {
                return new Object[] {eval(r.value(), f, r.line())};
            } else if (s instanceof PyCode.If i) {
                Object c = eval(i.condition(), f, i.line());
                if (!(c instanceof Boolean b)) throw error(f, i.line(), "unsupported control flow: an 'if' on " + describe(c));
                Object[] r = run(b ? i.then() : i.otherwise(), f);
                if (r != null) return r;
            } else if (s instanceof PyCode.Eval e) {
                eval(e.expr(), f, e.line());
            } else if (s instanceof PyCode.Unsupported u) {
                throw error(f, u.line(), "cannot interpret '" + u.text() + "' (" + u.reason() + ")");
            }
        }
        return null;
    }

    private Object eval(PyCode.Expr e, Frame f, int line) {
        if (e instanceof PyCode.Const c) return c.value();
        if (e instanceof PyCode.Name n) {
            if (f.locals.containsKey(n.id())) return f.locals.get(n.id());
            return new Namespace(n.id());
        }
        if (e instanceof PyCode.ListLit l) return evalAll(l.items(), f, line);
        if (e instanceof PyCode.TupleLit t) return evalAll(t.items(), f, line);
        if (e instanceof PyCode.Attr a) return attribute(eval(a.target(), f, line), a.name(), f, line);
        if (e instanceof PyCode.Index i) throw error(f, line, "indexing is not supported");
        PyCode.Call c = (PyCode.Call) e;
        if (!c.keywords().isEmpty()) {
            Object function = eval(c.function(), f, line);
            String name = function instanceof Namespace ns ? ns.qualified() : describe(function);
            // torch.add(a, b, alpha=k) is the one keyword TorchScript prints for the operators read here.
            if (!(name.equals("torch.add") || name.equals("torch.add_")) || !c.keywords().equals(List.of("alpha")) || c.args().size() != 3) {
                throw error(f, line, "keyword arguments " + c.keywords() + " of " + name + " are not supported");
            }
            return builtin(name, evalAll(c.args(), f, line), f, line);
        }
        if (c.function() instanceof PyCode.Attr a) {
            Object target = eval(a.target(), f, line);
            if (target instanceof Module m && !m.obj.attributes().containsKey(a.name())) {
                // _check_input_dim only checks the input's rank, which the toolkit layer checks itself.
                if (a.name().equals("_check_input_dim")) return null;
                return call(m, a.name(), evalAll(c.args(), f, line), f.self.describe());
            }
        }
        Object function = eval(c.function(), f, line);
        if (!(function instanceof Namespace ns)) throw error(f, line, "cannot call " + describe(function));
        return builtin(ns.qualified(), evalAll(c.args(), f, line), f, line);
    }

    private List<Object> evalAll(List<PyCode.Expr> items, Frame f, int line) {
        List<Object> out = new ArrayList<>();
        for (PyCode.Expr x : items) out.add(eval(x, f, line));
        return out;
    }

    private Object attribute(Object target, String name, Frame f, int line) {
        if (target instanceof Namespace ns) return new Namespace(ns.qualified() + "." + name);
        if (!(target instanceof Module m)) throw error(f, line, "attribute '" + name + "' of " + describe(target));
        Map<Object, Object> attrs = m.obj.attributes();
        if (!attrs.containsKey(name)) throw error(f, line, m.describe() + " has no attribute '" + name + "' in data.pkl");
        Object v = attrs.get(name);
        String path = m.path.isEmpty() ? name : m.path + "." + name;
        if (v instanceof Pickle.Obj child) return new Module(child, path);
        if (v instanceof Pickle.TensorRef t) return new Stored(path, t);
        if (v == null || v instanceof Boolean || v instanceof Long || v instanceof Double || v instanceof String) return v;
        throw error(f, line, m.describe() + "." + name + " is " + describe(v) + ", not supported");
    }

    private Object builtin(String q, List<Object> a, Frame f, int line) {
        switch (q) {
            case "annotate", "unchecked_cast" -> {
                return arg(a, 1, f, line);
            }
            case "getattr" -> {
                return attribute(arg(a, 0, f, line), (String) arg(a, 1, f, line), f, line);
            }
            case "torch.__is__", "torch.__isnot__" -> {
                boolean same = java.util.Objects.equals(arg(a, 0, f, line), arg(a, 1, f, line));
                return q.endsWith("__is__") == same;
            }
            case "torch.__not__" -> {
                if (!(arg(a, 0, f, line) instanceof Boolean b)) throw error(f, line, "'not' of " + describe(a.get(0)));
                return !b;
            }
            case "ops.prim.RaiseException" -> throw error(f, line, "the model's code raises: " + a);
            default -> {
                return operator(q, a, f, line);
            }
        }
    }

    private Object operator(String q, List<Object> a, Frame f, int line) {
        String source = f.self.describe() + ": " + (q.startsWith(F) ? "F." + q.substring(F.length()) : q);
        switch (q) {
            case "torch.conv2d" -> {
                return add(new SourceOp.Conv(source, param(a, 1, f, line), optionalParam(a, 2, f, line), pair(a, 3, 1, f, line),
                        pair(a, 4, 0, f, line), pair(a, 5, 1, f, line), (int) integer(a, 6, 1, f, line)), a, f, line);
            }
            case "torch._convolution" -> {
                if (!Boolean.FALSE.equals(arg(a, 6, f, line))) throw error(f, line, "transposed convolution is not supported");
                return add(new SourceOp.Conv(source, param(a, 1, f, line), optionalParam(a, 2, f, line), pair(a, 3, 1, f, line),
                        pair(a, 4, 0, f, line), pair(a, 5, 1, f, line), (int) integer(a, 8, 1, f, line)), a, f, line);
            }
            case "torch.linear" -> {
                return add(new SourceOp.Dense(source, param(a, 1, f, line), optionalParam(a, 2, f, line)), a, f, line);
            }
            case "torch.batch_norm" -> {
                return add(batchNorm(source, a, 1, 2, 3, 4, 5, 7, f, line), a, f, line);
            }
            case F + "batch_norm" -> {
                return add(batchNorm(source, a, 3, 4, 1, 2, 5, 7, f, line), a, f, line);
            }
            case "torch.relu", "torch.relu_", F + "relu" -> {
                return inPlace(q, a, 1, add(new SourceOp.Relu(source), a, f, line));
            }
            case "torch.hardtanh", "torch.hardtanh_", F + "hardtanh" -> {
                Act y = add(new SourceOp.Clamp(source, number(a, 1, -1, f, line), number(a, 2, 1, f, line)), a, f, line);
                return inPlace(q, a, 3, y);
            }
            case "torch.relu6", "torch.relu6_", F + "relu6" -> {
                return inPlace(q, a, 1, add(new SourceOp.Clamp(source, 0f, 6f), a, f, line));
            }
            case "torch.clamp", "torch.clamp_" -> {
                if (arg(a, 1, f, line) == null || arg(a, 2, f, line) == null) throw error(f, line, q + " with one bound is not supported (clamp to [lo, hi])");
                return inPlace(q, a, -1, add(new SourceOp.Clamp(source, number(a, 1, 0, f, line), number(a, 2, 0, f, line)), a, f, line));
            }
            case "torch.add", "torch.add_" -> {
                Act x = input(a, f, line);
                if (!(arg(a, 1, f, line) instanceof Act y)) {
                    throw error(f, line, q + " of a tensor and " + describe(a.get(1)) + " is not supported (only the sum of two tensors)");
                }
                read(y, f, line);
                if (a.size() > 2 && !(a.get(2) instanceof Number alpha && alpha.doubleValue() == 1.0)) {
                    throw error(f, line, q + " with alpha=" + describeItem(a.get(2)) + " is not supported (only alpha 1: a + b)");
                }
                return inPlace(q, a, -1, new Act(graph.step(new SourceOp.Add(source), x.id(), y.id())));
            }
            case "ops.prim.NumToTensor", "int" -> { // traced code wraps the batch size: int(ops.prim.NumToTensor(torch.size(x, 0)))
                if (a.size() != 1 || !(a.get(0) instanceof Batch)) throw error(f, line, q + " of " + (a.isEmpty() ? "nothing" : describe(a.get(0))) + " is not supported (only of the batch size)");
                return a.get(0);
            }
            case "torch.size" -> {
                input(a, f, line);
                if (integer(a, 1, -1, f, line) != 0) throw error(f, line, "torch.size of axis " + a.get(1) + " is not supported (only the batch size, axis 0)");
                return new Batch();
            }
            case "torch.reshape", "torch.view" -> {
                return add(new SourceOp.Flatten(source, flatSize(q, a, f, line)), a, f, line);
            }
            case "torch.mean" -> {
                Object dims = arg(a, 1, f, line);
                Set<Long> axes = new HashSet<>();
                if (dims instanceof List<?> l) for (Object d : l) if (d instanceof Long x) axes.add(x < 0 ? x + 4 : x);
                if (!(dims instanceof List<?> l) || l.size() != 2 || !axes.equals(Set.of(2L, 3L))) {
                    throw error(f, line, "torch.mean over " + describe(dims) + " is not supported (only over height and width, [2, 3])");
                }
                if (a.size() > 3 && a.get(3) != null) throw error(f, line, "torch.mean with a dtype is not supported");
                Act pooled = add(new SourceOp.GlobalAvgPool(source), a, f, line);
                if (bool(a, 2, false, f, line)) return pooled; // keepdim: {C, 1, 1}
                return new Act(graph.step(new SourceOp.Flatten(source), pooled.id()));
            }
            case "torch.max_pool2d", F + "_max_pool2d", F + "max_pool2d" -> {
                if (q.startsWith(F) && Boolean.TRUE.equals(a.size() > 6 ? a.get(6) : null)) throw error(f, line, "return_indices is not supported");
                if (!java.util.Arrays.equals(pair(a, 4, 1, f, line), new int[] {1, 1})) throw error(f, line, "dilated pooling is not supported");
                return add(new SourceOp.Pool(source, true, pair(a, 1, 0, f, line), ints(a, 2, f, line), pair(a, 3, 0, f, line),
                        bool(a, 5, false, f, line)), a, f, line);
            }
            case "torch.avg_pool2d", F + "avg_pool2d" -> {
                if (a.size() > 6 && a.get(6) != null) throw error(f, line, "divisor_override is not supported");
                return add(new SourceOp.Pool(source, false, pair(a, 1, 0, f, line), ints(a, 2, f, line), pair(a, 3, 0, f, line),
                        bool(a, 4, false, f, line)), a, f, line);
            }
            case "torch.adaptive_avg_pool2d", F + "adaptive_avg_pool2d" -> {
                if (!java.util.Arrays.equals(pair(a, 1, 0, f, line), new int[] {1, 1})) {
                    throw error(f, line, "adaptive average pooling to " + a.get(1) + " is not supported (only to 1x1)");
                }
                return add(new SourceOp.GlobalAvgPool(source), a, f, line);
            }
            case "torch.flatten" -> {
                long start = integer(a, 1, 0, f, line), end = integer(a, 2, -1, f, line);
                if (start != 1 || end != -1) throw error(f, line, "flatten(" + start + ", " + end + ") is not supported (only flatten(x, 1))");
                return add(new SourceOp.Flatten(source), a, f, line);
            }
            case "torch.dropout", "torch.dropout_", "torch.feature_dropout", F + "dropout" -> {
                if (!Boolean.FALSE.equals(arg(a, 2, f, line))) throw error(f, line, "dropout in training mode: call model.eval() before exporting");
                return input(a, f, line); // identity at inference, in place or not
            }
            default -> {
                boolean onTensor = a.stream().anyMatch(x -> x instanceof Act);
                throw error(f, line, (onTensor ? "unsupported operator " : "cannot evaluate ") + q);
            }
        }
    }

    private SourceOp.BatchNorm batchNorm(String source, List<Object> a, int gamma, int beta, int mean, int var, int training, int eps,
                                         Frame f, int line) {
        if (arg(a, mean, f, line) == null || arg(a, var, f, line) == null) {
            throw error(f, line, "BatchNorm without running statistics (running_mean/running_var are None: track_running_stats=False)"
                    + " normalizes with batch statistics and cannot be folded; export it with running statistics"
                    + " or with BatchNorm already folded into the convolution");
        }
        if (!Boolean.FALSE.equals(arg(a, training, f, line))) throw error(f, line, "BatchNorm in training mode: call model.eval() before exporting");
        Object e = arg(a, eps, f, line);
        if (!(e instanceof Double d)) throw error(f, line, "BatchNorm eps is " + describe(e));
        return new SourceOp.BatchNorm(source, optionalParam(a, gamma, f, line), optionalParam(a, beta, f, line),
                param(a, mean, f, line), param(a, var, f, line), (float) (double) d);
    }

    /** Records a step reading argument 0 (a tensor); returns its output. */
    private Act add(SourceOp op, List<Object> a, Frame f, int line) {
        return new Act(graph.step(op, input(a, f, line).id()));
    }

    private Act input(List<Object> a, Frame f, int line) {
        if (!(arg(a, 0, f, line) instanceof Act in)) throw error(f, line, "expected a tensor input, got " + describe(a.get(0)));
        return read(in, f, line);
    }

    private Act read(Act t, Frame f, int line) {
        String by = overwritten.get(t.id());
        if (by != null) {
            throw error(f, line, "reads a tensor that " + by + " overwrote in place before; the graph would compute it from the old"
                    + " values (export without in-place operators)");
        }
        return t;
    }

    /**
     * An in-place operator ({@code torch.relu_}, {@code torch.add_}, or {@code inplace=True} in
     * argument {@code flag}; -1 for none) overwrites its input tensor: later reads of it are refused.
     */
    private Act inPlace(String q, List<Object> a, int flag, Act result) {
        boolean in = q.endsWith("_") || (flag >= 0 && flag < a.size() && Boolean.TRUE.equals(a.get(flag)));
        if (in) overwritten.put(((Act) a.get(0)).id(), q);
        return result;
    }

    /** The per-sample size of {@code reshape(x, [batch, n])}: -1 when unstated ({@code [batch, -1]}). */
    private int flatSize(String q, List<Object> a, Frame f, int line) {
        Object to = arg(a, 1, f, line);
        if (to instanceof List<?> l && l.size() == 2 && l.get(1) instanceof Long n) {
            if (l.get(0) instanceof Batch && (n == -1 || n > 0)) return (int) (long) n;
            if (Long.valueOf(-1).equals(l.get(0)) && n > 0) return (int) (long) n;
        }
        throw error(f, line, q + " to " + describe(to) + " is not supported (only to 2-D: [x.size(0), -1], [x.size(0), n] or [-1, n])");
    }

    /** A float argument (an int is accepted): hardtanh's and clamp's bounds. */
    private float number(List<Object> a, int i, float dflt, Frame f, int line) {
        Object v = i < a.size() ? a.get(i) : (Object) (double) dflt;
        if (!(v instanceof Long || v instanceof Double)) throw error(f, line, "argument " + i + " is " + describe(v) + ", expected a number");
        return ((Number) v).floatValue();
    }

    private SourceOp.Param param(List<Object> a, int i, Frame f, int line) {
        SourceOp.Param p = optionalParam(a, i, f, line);
        if (p == null) throw error(f, line, "argument " + i + " is None, expected a tensor");
        return p;
    }

    private SourceOp.Param optionalParam(List<Object> a, int i, Frame f, int line) {
        Object v = i < a.size() ? a.get(i) : null;
        if (v == null) return null;
        if (!(v instanceof Stored s)) throw error(f, line, "argument " + i + " is " + describe(v) + ", expected a module tensor");
        return params.get(s.name(), s.ref());
    }

    private Object arg(List<Object> a, int i, Frame f, int line) {
        if (i >= a.size()) throw error(f, line, "missing argument " + i);
        return a.get(i);
    }

    private long integer(List<Object> a, int i, long dflt, Frame f, int line) {
        Object v = i < a.size() ? a.get(i) : dflt;
        if (!(v instanceof Long l)) throw error(f, line, "argument " + i + " is " + describe(v) + ", expected an int");
        return l;
    }

    private boolean bool(List<Object> a, int i, boolean dflt, Frame f, int line) {
        Object v = i < a.size() ? a.get(i) : dflt;
        if (!(v instanceof Boolean b)) throw error(f, line, "argument " + i + " is " + describe(v) + ", expected a bool");
        return b;
    }

    /** An int list argument (empty allowed: PyTorch's "same as the kernel"); None counts as empty. */
    private int[] ints(List<Object> a, int i, Frame f, int line) {
        Object v = i < a.size() ? a.get(i) : null;
        if (v == null) return new int[0];
        if (v instanceof Long l) return new int[] {(int) (long) l, (int) (long) l};
        if (!(v instanceof List<?> l)) throw error(f, line, "argument " + i + " is " + describe(v) + ", expected a list of ints");
        int[] out = new int[l.size()];
        for (int k = 0; k < out.length; k++) {
            if (!(l.get(k) instanceof Long x)) throw error(f, line, "argument " + i + " holds " + describe(l.get(k)));
            out[k] = (int) (long) x;
        }
        return out;
    }

    /** A {height, width} pair: an int means both, a missing argument the default. */
    private int[] pair(List<Object> a, int i, int dflt, Frame f, int line) {
        int[] v = i < a.size() ? ints(a, i, f, line) : new int[] {dflt, dflt};
        if (v.length == 1) v = new int[] {v[0], v[0]};
        if (v.length != 2) throw error(f, line, "argument " + i + " has " + v.length + " values, expected 2");
        return v;
    }

    private ImportException error(Frame f, int line, String message) {
        return new ImportException(archive.file.getFileName() + ": " + message + " (" + f.self.describe() + ", line " + line + " of " + f.file + ")");
    }

    private static String describe(Object v) {
        if (v == null) return "None";
        if (v instanceof Act) return "a tensor";
        if (v instanceof Batch) return "the batch size";
        if (v instanceof List<?> l) return "[" + String.join(", ", l.stream().map(TorchScriptGraph::describeItem).toList()) + "]";
        if (v instanceof Module m) return "module " + m.describe();
        if (v instanceof Stored s) return "tensor '" + s.name() + "'";
        if (v instanceof Namespace n) return n.qualified();
        return v.getClass().getSimpleName() + " " + v;
    }

    private static String describeItem(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean ? String.valueOf(v) : describe(v);
    }
}
