package fqt.golden;

import fqt.kernels.AvgPool2dF32;
import fqt.kernels.AvgPool2dU8;
import fqt.kernels.BiasGradF32;
import fqt.kernels.BiasGradU8;
import fqt.kernels.Conv2dF32;
import fqt.kernels.Conv2dU8;
import fqt.kernels.Conv2dU8F32;
import fqt.kernels.ConvGeometry;
import fqt.kernels.LinearF32;
import fqt.kernels.LinearU8;
import fqt.kernels.LinearU8F32;
import fqt.kernels.MaxPool2dF32;
import fqt.kernels.MaxPool2dU8;
import fqt.kernels.PoolGeometry;
import fqt.kernels.ReluF32;
import fqt.kernels.ReluU8;
import fqt.kernels.SoftmaxCrossEntropy;
import fqt.quant.FloatMath;
import fqt.quant.QuantParams;
import fqt.quant.Requantizer;
import fqt.quant.Rounding;
import fqt.quant.Xorshift32;
import fqt.select.Select;
import fqt.data.Dataset;
import fqt.memory.Memory;
import fqt.nn.Conv2d;
import fqt.nn.ErrorRange;
import fqt.nn.Flatten;
import fqt.nn.Linear;
import fqt.nn.MaxPool2d;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.nn.ReLU;
import fqt.select.PartialUpdates;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.wire.ModelBlob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes the golden vectors of {@code firmware/core/} from the checked-in plan
 * ({@code testdata/golden/plan.txt}): per case a directory {@code <kernel>/<case>/} with the inputs
 * and the Java kernels' outputs as raw little-endian arrays ({@code name.u8}, {@code .i32},
 * {@code .f32}) and {@code params.txt} (ints in decimal, floats as hex bit patterns, and the
 * generator version). The C tests and {@link GoldenVectorsTest} compare exact bytes.
 */
public final class GoldenVectors {
    /** Bump when a case's files change meaning. */
    static final int VERSION = 1;

    private GoldenVectors() {}

    /** (Re)writes every case of {@code dir/plan.txt} under {@code dir}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "testdata/golden");
        List<Case> cases = run(Files.readString(dir.resolve("plan.txt")));
        int files = 0;
        for (Case c : cases) {
            for (Map.Entry<String, byte[]> f : c.files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, f.getValue());
                files++;
            }
        }
        System.out.print(unclampedTable(cases));
        System.out.println("wrote " + files + " files under " + dir);
    }

    /** Per case the share of its outputs that are not clamped, the span of its uint8 codes and its planned minimum. */
    static String unclampedTable(List<Case> cases) {
        StringBuilder t = new StringBuilder("case: unclamped share of its outputs (uint8 codes inside the clamp, select's magnitudes"
                + " inside their bounds), span of its uint8 codes\n");
        for (Case c : cases) {
            double f = c.unclampedFraction();
            String min = c.plan.get("unclamped");
            t.append(String.format(Locale.ROOT, "  %s/%s: %s %s%s%n", c.kernel, c.name,
                    Double.isNaN(f) ? "n/a (no uint8 outputs)" : String.format(Locale.ROOT, "%.3f", f), c.codes(),
                    min != null ? " (at least " + min + ")" : ""));
        }
        return t.toString();
    }

    /** Every file of every planned case, by path relative to the golden directory. */
    static Map<String, byte[]> generate(String plan) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Case c : run(plan)) files.putAll(c.files);
        return files;
    }

    /** Every planned case, computed. */
    static List<Case> run(String plan) {
        List<Case> cases = new ArrayList<>();
        for (String[] f : cases(plan)) {
            Case c = new Case(f[0], f[1]);
            for (int i = 2; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                c.plan.put(kv[0], kv[1]);
            }
            c.param("generator_version", VERSION);
            switch (c.kernel) {
                case "xorshift32" -> xorshift32(c);
                case "rounding" -> rounding(c);
                case "quant_params" -> quantParams(c);
                case "requantize" -> requantize(c);
                case "float_math" -> floatMath(c);
                case "linear_u8" -> linearU8(c);
                case "linear_f32" -> linearF32(c);
                case "linear_u8f32" -> linearU8F32(c);
                case "conv2d_u8" -> conv2dU8(c);
                case "conv2d_f32" -> conv2dF32(c);
                case "conv2d_u8f32" -> conv2dU8F32(c);
                case "pool" -> pool(c);
                case "relu" -> relu(c);
                case "bias_grad" -> biasGrad(c);
                case "softmax_cross_entropy" -> softmax(c);
                case "select" -> select(c);
                case "model_blob" -> modelBlob(c);
                default -> throw new IllegalArgumentException("plan: unknown kernel " + c.kernel);
            }
            c.finish();
            cases.add(c);
        }
        return cases;
    }

    /** The plan's cases: per line kernel, case name, then key=value parameters. */
    static List<String[]> cases(String plan) {
        List<String[]> cases = new ArrayList<>();
        for (String line : plan.split("\n")) {
            line = line.strip();
            if (!line.isEmpty() && !line.startsWith("#")) cases.add(line.split("\\s+"));
        }
        return cases;
    }

    /**
     * One case: its plan parameters, a seeded random source, the files it writes and how many of its
     * outputs the clamp leaves to the arithmetic (uint8 codes strictly inside (0, 255)).
     */
    static final class Case {
        final String kernel, name;
        final Map<String, String> plan = new HashMap<>();
        private final Map<String, byte[]> files = new LinkedHashMap<>();
        private final StringBuilder params = new StringBuilder();
        private SplittableRandom rng;
        private long outputs, unclamped;
        private int lowestCode = 255, highestCode = 0;

        Case(String kernel, String name) {
            this.kernel = kernel;
            this.name = name;
        }

        /** The share of the counted outputs that are not clamped; NaN when the case counts none. */
        double unclampedFraction() { return outputs == 0 ? Double.NaN : (double) unclamped / outputs; }

        /** A uint8 output, counted for {@link #unclampedFraction()}. */
        void output(String array, byte[] v) { output(array, v, 0); }

        /** A uint8 output clamped to [lo, 255] (lo: the zero point under a fused ReLU). */
        void output(String array, byte[] v, int lo) {
            u8(array, v);
            for (byte b : v) {
                int q = b & 0xFF;
                count(q > lo && q < 255);
                lowestCode = Math.min(lowestCode, q);
                highestCode = Math.max(highestCode, q);
            }
        }

        /** The span of the uint8 output codes, "lo..hi", or "" when the case has none. */
        String codes() { return lowestCode > highestCode ? "" : lowestCode + ".." + highestCode; }

        /** Integer outputs that saturate at neither bound of [lo, hi] (an integer sum has no clamp: its extremes). */
        void countInside(int[] v, long lo, long hi) {
            for (int x : v) count(x > lo && x < hi);
        }

        private void count(boolean inside) {
            outputs++;
            if (inside) unclamped++;
        }

        int i(String key, int def) { return plan.containsKey(key) ? Integer.parseInt(plan.get(key)) : def; }
        String s(String key, String def) { return plan.getOrDefault(key, def); }
        Rounding rounding() { return Rounding.valueOf(s("rounding", "NEAREST")); }

        SplittableRandom rng() {
            if (rng == null) rng = new SplittableRandom(i("seed", 0));
            return rng;
        }

        byte[] codes(int n) {
            byte[] b = new byte[n];
            for (int k = 0; k < n; k++) b[k] = (byte) rng().nextInt(256);
            return b;
        }

        float[] floats(int n, float lo, float hi) {
            float[] v = new float[n];
            for (int k = 0; k < n; k++) v[k] = (float) (lo + (hi - lo) * rng().nextDouble());
            return v;
        }

        int zp(String key) { return i(key, rng().nextInt(256)); }
        float scale() { return (float) (0.001 + 0.05 * rng().nextDouble()); }

        /** Every {@code select}-th structure (from 1), all of them without the key. */
        int[] selection(int structures) {
            int every = i("select", 1);
            int[] sel = new int[structures];
            int n = 0;
            for (int o = 1 % every; o < structures; o += every) sel[n++] = o;
            return java.util.Arrays.copyOf(sel, n);
        }

        void param(String key, int v) { params.append(key).append(' ').append(v).append('\n'); }
        void param(String key, float v) { params.append(key).append(String.format(" 0x%08x%n", Float.floatToRawIntBits(v))); }

        void u8(String array, byte[] v) { put(array + ".u8", v.clone()); }

        void i32(String array, int[] v) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int x : v) b.putInt(x);
            put(array + ".i32", b.array());
        }

        void f32(String array, float[] v) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v) b.putFloat(x);
            put(array + ".f32", b.array());
        }

        private void put(String file, byte[] bytes) {
            files.put(kernel + "/" + name + "/" + file, bytes);
        }

        void finish() { put("params.txt", params.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)); }
    }

    static void xorshift32(Case c) {
        String[] seeds = c.s("seeds", "1").split(",");
        int n = c.i("n", 16);
        int[] ints = new int[seeds.length * n], units = new int[seeds.length * n], seedBits = new int[seeds.length];
        for (int s = 0; s < seeds.length; s++) {
            long seed = Long.parseLong(seeds[s]);
            seedBits[s] = (int) seed;
            Xorshift32 a = new Xorshift32((int) seed), b = new Xorshift32((int) seed);
            for (int k = 0; k < n; k++) {
                ints[s * n + k] = a.nextInt();
                units[s * n + k] = Float.floatToRawIntBits(b.nextUnit());
            }
        }
        c.param("n", n);
        c.i32("seed", seedBits);
        c.i32("next_int", ints);
        c.i32("next_unit", units);
    }

    /** Halves, ties, the saturation limit 2^30, huge values, infinities, NaN, signed zeros, then random values. */
    static void rounding(Case c) {
        float[] special = {0f, -0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, -0.49999997f, 1e-30f, -1e-30f,
            0x1.0p30f, -0x1.0p30f, 0x1.0p31f, -0x1.0p31f, 3e38f, -3e38f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NaN, 255.5f, -255.5f, 8388607.5f, 16777216f};
        int n = c.i("n", 16);
        float[] v = new float[special.length + n];
        System.arraycopy(special, 0, v, 0, special.length);
        float[] r = c.floats(n, -300f, 300f);
        System.arraycopy(r, 0, v, special.length, n);
        int[] floor = new int[v.length], nearest = new int[v.length], stochastic = new int[v.length];
        Xorshift32 rng = new Xorshift32(7);
        for (int k = 0; k < v.length; k++) {
            floor[k] = Rounding.FLOOR.round(v[k], null);
            nearest[k] = Rounding.NEAREST.round(v[k], null);
            stochastic[k] = Rounding.STOCHASTIC.round(v[k], rng);
        }
        c.param("rng_seed", 7);
        c.f32("v", v);
        c.i32("floor", floor);
        c.i32("nearest", nearest);
        c.i32("stochastic", stochastic);
    }

    /** fromRange on random and degenerate ranges, then quantize/dequantize of values around each range. */
    static void quantParams(Case c) {
        int n = c.i("n", 16);
        float[] lo = c.floats(n, -4f, 1f), hi = c.floats(n, -1f, 4f);
        lo[0] = 0f; hi[0] = 0f;          // all-zero: scale 1/255
        lo[1] = 1e-40f; hi[1] = 1e-39f;  // subnormal span
        lo[2] = -1f; hi[2] = 1f;         // the unit range of FIXED errors
        lo[3] = 2f; hi[3] = 3f;          // widened to contain 0
        float[] scale = new float[n], values = c.floats(n, -5f, 5f);
        int[] zp = new int[n], nearest = new int[n], stochastic = new int[n], floor = new int[n];
        float[] dequant = new float[n];
        Xorshift32 rng = new Xorshift32(11);
        for (int k = 0; k < n; k++) {
            QuantParams p = QuantParams.fromRange(lo[k], hi[k]);
            scale[k] = p.scale();
            zp[k] = p.zeroPoint();
            nearest[k] = p.quantize(values[k], Rounding.NEAREST, null);
            floor[k] = p.quantize(values[k], Rounding.FLOOR, null);
            stochastic[k] = p.quantize(values[k], Rounding.STOCHASTIC, rng);
            dequant[k] = p.dequantize(nearest[k]);
        }
        c.param("n", n);
        c.param("rng_seed", 11);
        c.f32("lo", lo);
        c.f32("hi", hi);
        c.f32("scale", scale);
        c.i32("zero_point", zp);
        c.f32("values", values);
        c.i32("floor", floor);
        c.i32("nearest", nearest);
        c.i32("stochastic", stochastic);
        c.f32("dequantized", dequant);
    }

    static void requantize(Case c) {
        int n = c.i("n", 16);
        float sIn = c.scale(), sW = c.scale(), sOut = c.scale() * 40f;
        int zp = c.zp("zp");
        boolean relu = c.i("relu", 0) == 1;
        float m = Requantizer.multiplier(sIn, sW, sOut);
        int range = c.i("wide", 0) == 1 ? Integer.MAX_VALUE : 1 << 18;
        // fit=1: accumulators that land on the codes from 2 below the clamp (0, or the zero point under
        // a ReLU) to 257, so the outputs span the range and few clamp.
        boolean fit = c.i("fit", 0) == 1;
        int clampLo = relu ? zp : 0;
        long lo = (long) Math.floor((clampLo - 2 - zp) / m), hi = (long) Math.ceil((257 - zp) / m);
        int[] acc = new int[n];
        for (int k = 0; k < n; k++) acc[k] = fit ? (int) c.rng().nextLong(lo, hi) : c.rng().nextInt(-range, range);
        acc[0] = Integer.MIN_VALUE;
        acc[1] = Integer.MAX_VALUE;
        Requantizer rq = new Requantizer().reset(m, zp, relu, c.rounding(), new Xorshift32(c.i("seed", 1)));
        byte[] q = new byte[n];
        int[] biasQ = new int[n];
        float[] bias = c.floats(n, -2f, 2f);
        for (int k = 0; k < n; k++) {
            q[k] = (byte) rq.apply(acc[k]);
            biasQ[k] = Requantizer.quantizeBias(bias[k], sIn * sW);
        }
        c.param("n", n);
        c.param("s_in", sIn);
        c.param("s_w", sW);
        c.param("s_out", sOut);
        c.param("multiplier", m);
        c.param("zero_point", zp);
        c.param("relu", relu ? 1 : 0);
        c.param("rounding", c.rounding().ordinal());
        c.param("rng_seed", c.i("seed", 1));
        c.param("acc_min", rq.accMin());
        c.param("acc_max", rq.accMax());
        c.i32("acc", acc);
        c.output("q", q, clampLo);
        c.f32("bias", bias);
        c.i32("bias_q", biasQ);
    }

    static void floatMath(Case c) {
        int n = c.i("n", 16);
        float[] special = {0f, -0f, 1f, -1f, 88f, 89f, -87f, -88f, 1e-45f, 1e-38f, Float.MIN_NORMAL, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.5f, 2f, 1.41421356f, 0.70710677f};
        float[] x = new float[special.length + n];
        System.arraycopy(special, 0, x, 0, special.length);
        float[] r = c.floats(n, -90f, 90f);
        System.arraycopy(r, 0, x, special.length, n);
        float[] exp = new float[x.length], log = new float[x.length];
        for (int k = 0; k < x.length; k++) {
            exp[k] = FloatMath.exp(x[k]);
            log[k] = FloatMath.log(Math.abs(x[k]) * (k % 3 == 0 ? 1e-20f : 1f));
        }
        c.param("n", x.length);
        c.f32("x", x);
        c.f32("exp", exp);
        c.f32("log", log);
    }

    static void linearU8(Case c) {
        int in = c.i("in", 4), out = c.i("out", 4), xZp = c.zp("xzp"), wZp = c.zp("wzp"), dyZp = c.zp("dyzp");
        byte[] x = c.codes(in), w = c.codes(in * out), dy = c.codes(out), y = new byte[out];
        int[] biasQ = new int[out];
        for (int o = 0; o < out; o++) biasQ[o] = c.rng().nextInt(-5000, 5000);
        float m = c.scale() * 0.01f, sE = c.scale(), gradScale = c.scale() * sE;
        int yZp = c.zp("yzp");
        if (c.i("fit", 0) == 1) {
            Requantizer trial = Fit.trial();
            LinearU8.forward(x, xZp, w, wZp, biasQ, y, in, out, new int[in], new int[out], trial);
            Fit f = new Fit(trial);
            f.centre(biasQ);
            m = f.multiplier;
            yZp = Fit.ZERO_POINT;
        }
        Requantizer rq = new Requantizer().reset(m, yZp, false, c.rounding(), new Xorshift32(c.i("seed", 1)));
        LinearU8.forward(x, xZp, w, wZp, biasQ, y, in, out, new int[in], new int[out], rq);
        int[] sel = c.selection(out), dxAcc = new int[in];
        LinearU8.backwardError(dy, dyZp, w, wZp, dxAcc, in, sel, sel.length);
        float[] gw = c.floats(in * out, -1f, 1f), gb = c.floats(out, -1f, 1f);
        c.f32("gw_in", gw);
        c.f32("gb_in", gb);
        LinearU8.backwardWeight(x, xZp, dy, dyZp, sE, gradScale, gw, gb, in, sel, sel.length, new float[in]);
        c.param("in", in);
        c.param("out", out);
        c.param("x_zp", xZp);
        c.param("w_zp", wZp);
        c.param("dy_zp", dyZp);
        c.param("y_zp", yZp);
        c.param("multiplier", m);
        c.param("rounding", c.rounding().ordinal());
        c.param("rng_seed", c.i("seed", 1));
        c.param("s_e", sE);
        c.param("grad_scale", gradScale);
        c.param("acc_min", rq.accMin());
        c.param("acc_max", rq.accMax());
        c.u8("x", x);
        c.u8("w", w);
        c.u8("dy", dy);
        c.i32("bias_q", biasQ);
        c.i32("sel", sel);
        c.output("y", y);
        c.i32("dx_acc", dxAcc);
        c.f32("gw", gw);
        c.f32("gb", gb);
    }

    static void linearF32(Case c) {
        int in = c.i("in", 4), out = c.i("out", 4);
        float[] x = c.floats(in, -2f, 2f), w = c.floats(in * out, -1f, 1f), b = c.floats(out, -1f, 1f), dy = c.floats(out, -1f, 1f);
        float[] y = new float[out], dx = new float[in], gw = c.floats(in * out, -1f, 1f), gb = c.floats(out, -1f, 1f);
        c.f32("gw_in", gw);
        c.f32("gb_in", gb);
        int[] sel = c.selection(out);
        LinearF32.forward(x, w, b, y, in, out);
        LinearF32.backwardError(dy, w, dx, in, sel, sel.length);
        LinearF32.backwardWeight(x, dy, gw, gb, in, sel, sel.length);
        c.param("in", in);
        c.param("out", out);
        c.f32("x", x);
        c.f32("w", w);
        c.f32("b", b);
        c.f32("dy", dy);
        c.i32("sel", sel);
        c.f32("y", y);
        c.f32("dx", dx);
        c.f32("gw", gw);
        c.f32("gb", gb);
    }

    static void linearU8F32(Case c) {
        int in = c.i("in", 4), out = c.i("out", 4), xZp = c.zp("xzp"), wZp = c.zp("wzp");
        float sX = c.scale(), sW = c.scale();
        byte[] x = c.codes(in), w = c.codes(in * out);
        float[] dy = c.floats(out, -1f, 1f), dx = new float[in], gw = c.floats(in * out, -1f, 1f), gb = c.floats(out, -1f, 1f);
        c.f32("gw_in", gw);
        c.f32("gb_in", gb);
        int[] sel = c.selection(out);
        LinearU8F32.backwardError(dy, w, wZp, sW, dx, in, sel, sel.length);
        LinearU8F32.backwardWeight(x, xZp, sX, dy, gw, gb, in, sel, sel.length);
        c.param("in", in);
        c.param("out", out);
        c.param("x_zp", xZp);
        c.param("w_zp", wZp);
        c.param("s_x", sX);
        c.param("s_w", sW);
        c.u8("x", x);
        c.u8("w", w);
        c.f32("dy", dy);
        c.i32("sel", sel);
        c.f32("dx", dx);
        c.f32("gw", gw);
        c.f32("gb", gb);
    }

    /**
     * fit=1 in a plan line: after a trial forward pass has recorded the accumulator range [min, max],
     * the biases shifted by (min + max) / 2 so that it is centred on 0, and instead of the drawn
     * multiplier and output zero point, 251 / (max - min) and 128: the outputs span the codes 2..253
     * and the clamp hides none of the arithmetic.
     */
    static final class Fit {
        static final int ZERO_POINT = 128;
        final float multiplier;
        private final int shift;

        Fit(Requantizer trial) {
            shift = (int) (((long) trial.accMin() + trial.accMax()) / 2);
            multiplier = 251f / ((float) trial.accMax() - (float) trial.accMin());
        }

        /** A requantizer that only records the accumulator range. */
        static Requantizer trial() { return new Requantizer().reset(1f, 0, false, Rounding.NEAREST, null); }

        void centre(int[] biasQ) {
            for (int o = 0; o < biasQ.length; o++) biasQ[o] -= shift;
        }
    }

    static ConvGeometry geometry(Case c) {
        int k = c.i("k", 3);
        ConvGeometry g = new ConvGeometry(c.i("inC", 1), c.i("inH", 4), c.i("inW", 4), c.i("outC", 1), c.i("kH", k), c.i("kW", k),
                c.i("stride", 1), c.i("pad", 0), c.i("groups", 1));
        c.param("in_c", g.inC());
        c.param("in_h", g.inH());
        c.param("in_w", g.inW());
        c.param("out_c", g.outC());
        c.param("k_h", g.kH());
        c.param("k_w", g.kW());
        c.param("stride", g.stride());
        c.param("pad", g.pad());
        c.param("groups", g.groups());
        return g;
    }

    static void conv2dU8(Case c) {
        ConvGeometry g = geometry(c);
        int xZp = c.zp("xzp"), wZp = c.zp("wzp"), dyZp = c.zp("dyzp"), yZp = c.zp("yzp");
        byte[] x = c.codes(g.inSize()), w = c.codes(g.weightCount()), dy = c.codes(g.outSize()), y = new byte[g.outSize()];
        int[] biasQ = new int[g.outC()];
        for (int o = 0; o < g.outC(); o++) biasQ[o] = c.rng().nextInt(-5000, 5000);
        float m = c.scale() * 0.01f, sE = c.scale(), gradScale = c.scale() * sE;
        var scratch = new Conv2dU8.Scratch(g);
        if (c.i("fit", 0) == 1) {
            Requantizer trial = Fit.trial();
            Conv2dU8.forward(x, xZp, w, wZp, biasQ, y, g, scratch, trial);
            Fit f = new Fit(trial);
            f.centre(biasQ);
            m = f.multiplier;
            yZp = Fit.ZERO_POINT;
        }
        Requantizer rq = new Requantizer().reset(m, yZp, false, c.rounding(), new Xorshift32(c.i("seed", 1)));
        Conv2dU8.forward(x, xZp, w, wZp, biasQ, y, g, scratch, rq);
        int[] sel = c.selection(g.outC()), dxAcc = new int[g.inSize()];
        Conv2dU8.backwardError(dy, dyZp, w, wZp, dxAcc, g, sel, sel.length, scratch);
        float[] gw = c.floats(g.weightCount(), -1f, 1f), gb = c.floats(g.outC(), -1f, 1f);
        c.f32("gw_in", gw);
        c.f32("gb_in", gb);
        Conv2dU8.backwardWeight(x, xZp, dy, dyZp, sE, gradScale, gw, gb, g, sel, sel.length, scratch);
        c.param("x_zp", xZp);
        c.param("w_zp", wZp);
        c.param("dy_zp", dyZp);
        c.param("y_zp", yZp);
        c.param("multiplier", m);
        c.param("rounding", c.rounding().ordinal());
        c.param("rng_seed", c.i("seed", 1));
        c.param("s_e", sE);
        c.param("grad_scale", gradScale);
        c.param("acc_min", rq.accMin());
        c.param("acc_max", rq.accMax());
        c.u8("x", x);
        c.u8("w", w);
        c.u8("dy", dy);
        c.i32("bias_q", biasQ);
        c.i32("sel", sel);
        c.output("y", y);
        c.i32("dx_acc", dxAcc);
        c.f32("gw", gw);
        c.f32("gb", gb);
    }

    static void conv2dF32(Case c) {
        ConvGeometry g = geometry(c);
        float[] x = c.floats(g.inSize(), -2f, 2f), w = c.floats(g.weightCount(), -1f, 1f), b = c.floats(g.outC(), -1f, 1f);
        float[] dy = c.floats(g.outSize(), -1f, 1f), y = new float[g.outSize()], dx = new float[g.inSize()];
        float[] gw = c.floats(g.weightCount(), -1f, 1f), gb = c.floats(g.outC(), -1f, 1f);
        c.f32("gw_in", gw);
        c.f32("gb_in", gb);
        int[] sel = c.selection(g.outC());
        Conv2dF32.forward(x, w, b, y, g);
        Conv2dF32.backwardError(dy, w, dx, g, sel, sel.length);
        Conv2dF32.backwardWeight(x, dy, gw, gb, g, sel, sel.length);
        c.f32("x", x);
        c.f32("w", w);
        c.f32("b", b);
        c.f32("dy", dy);
        c.i32("sel", sel);
        c.f32("y", y);
        c.f32("dx", dx);
        c.f32("gw", gw);
        c.f32("gb", gb);
    }

    static void conv2dU8F32(Case c) {
        ConvGeometry g = geometry(c);
        int xZp = c.zp("xzp"), wZp = c.zp("wzp");
        float sX = c.scale(), sW = c.scale();
        byte[] x = c.codes(g.inSize()), w = c.codes(g.weightCount());
        float[] dy = c.floats(g.outSize(), -1f, 1f), dx = new float[g.inSize()];
        float[] gw = c.floats(g.weightCount(), -1f, 1f), gb = c.floats(g.outC(), -1f, 1f);
        c.f32("gw_in", gw);
        c.f32("gb_in", gb);
        int[] sel = c.selection(g.outC());
        Conv2dU8F32.backwardError(dy, w, wZp, sW, dx, g, sel, sel.length);
        Conv2dU8F32.backwardWeight(x, xZp, sX, dy, gw, gb, g, sel, sel.length);
        c.param("x_zp", xZp);
        c.param("w_zp", wZp);
        c.param("s_x", sX);
        c.param("s_w", sW);
        c.u8("x", x);
        c.u8("w", w);
        c.f32("dy", dy);
        c.i32("sel", sel);
        c.f32("dx", dx);
        c.f32("gw", gw);
        c.f32("gb", gb);
    }

    /** Max and average pooling, uint8 and float32, forward and backward (k=0: global). */
    static void pool(Case c) {
        int ch = c.i("channels", 1), inH = c.i("inH", 4), inW = c.i("inW", 4), k = c.i("k", 2);
        PoolGeometry g = k == 0 ? new PoolGeometry(ch, inH, inW, inH, inW, 1) : new PoolGeometry(ch, inH, inW, k, k, c.i("stride", k));
        c.param("channels", ch);
        c.param("in_h", inH);
        c.param("in_w", inW);
        c.param("k_h", g.kH());
        c.param("k_w", g.kW());
        c.param("stride", g.stride());
        byte[] x = c.codes(g.inSize()), dy = c.codes(g.outSize());
        for (int i = 0; i < x.length; i += 5) x[i] = x[Math.max(0, i - 1)]; // ties: the first maximum wins
        int eZp = c.zp("ezp");
        float[] xf = c.floats(g.inSize(), -2f, 2f), dyf = c.floats(g.outSize(), -1f, 1f);
        byte[] maxY = new byte[g.outSize()], maxDx = new byte[g.inSize()], avgY = new byte[g.outSize()], avgDx = new byte[g.inSize()];
        float[] maxYf = new float[g.outSize()], maxDxf = new float[g.inSize()], maxDxMixed = new float[g.inSize()];
        float[] avgYf = new float[g.outSize()], avgDxf = new float[g.inSize()];
        MaxPool2dU8.forward(x, maxY, g);
        MaxPool2dU8.backward(x, dy, eZp, maxDx, g);
        MaxPool2dU8.backwardF32(x, dyf, maxDxMixed, g);
        AvgPool2dU8.forward(x, avgY, g);
        AvgPool2dU8.backward(dy, eZp, avgDx, g);
        MaxPool2dF32.forward(xf, maxYf, g);
        MaxPool2dF32.backward(xf, dyf, maxDxf, g);
        AvgPool2dF32.forward(xf, avgYf, g);
        AvgPool2dF32.backward(dyf, avgDxf, g);
        c.param("e_zp", eZp);
        c.u8("x", x);
        c.u8("dy", dy);
        c.f32("xf", xf);
        c.f32("dyf", dyf);
        c.output("max_y", maxY);
        c.output("max_dx", maxDx);
        c.f32("max_dx_mixed", maxDxMixed);
        c.output("avg_y", avgY);
        c.output("avg_dx", avgDx);
        c.f32("max_yf", maxYf);
        c.f32("max_dxf", maxDxf);
        c.f32("avg_yf", avgYf);
        c.f32("avg_dxf", avgDxf);
    }

    static void relu(Case c) {
        int n = c.i("n", 16), xZp = c.zp("xzp"), eZp = c.zp("ezp");
        byte[] x = c.codes(n), dy = c.codes(n), y = new byte[n], dx = new byte[n];
        for (int i = 0; i < n; i += 4) x[i] = (byte) xZp; // at the zero point: no error passes
        float[] xf = c.floats(n, -1f, 1f), dyf = c.floats(n, -1f, 1f), yf = new float[n], dxf = new float[n], dxMixed = new float[n];
        xf[0] = 0f;
        xf[1] = -0f;
        ReluU8.forward(x, xZp, y, n);
        ReluU8.backward(x, xZp, dy, eZp, dx, n);
        ReluU8.backwardF32(x, xZp, dyf, dxMixed, n);
        ReluF32.forward(xf, yf, n);
        ReluF32.backward(xf, dyf, dxf, n);
        c.param("n", n);
        c.param("x_zp", xZp);
        c.param("e_zp", eZp);
        c.u8("x", x);
        c.u8("dy", dy);
        c.f32("xf", xf);
        c.f32("dyf", dyf);
        c.output("y", y);
        c.output("dx", dx);
        c.f32("dx_mixed", dxMixed);
        c.f32("yf", yf);
        c.f32("dxf", dxf);
    }

    static void biasGrad(Case c) {
        int s = c.i("structures", 4), per = c.i("per", 4), zp = c.zp("zp");
        float sE = c.scale();
        byte[] dy = c.codes(s * per);
        float[] dyf = c.floats(s * per, -1f, 1f), gbIn = c.floats(s, -1f, 1f), gb = gbIn.clone(), gbf = gbIn.clone();
        int[] sel = c.selection(s);
        BiasGradU8.backward(dy, zp, sE, gb, per, sel, sel.length);
        BiasGradF32.backward(dyf, gbf, per, sel, sel.length);
        c.param("structures", s);
        c.param("per", per);
        c.param("zp", zp);
        c.param("s_e", sE);
        c.u8("dy", dy);
        c.f32("dyf", dyf);
        c.i32("sel", sel);
        c.f32("gb_in", gbIn);
        c.f32("gb_u8", gb);
        c.f32("gb_f32", gbf);
    }

    static void softmax(Case c) {
        int n = c.i("n", 10);
        float spread = c.i("spread", 8);
        float[] logits = c.floats(n, -spread, spread);
        logits[n - 1] = logits[0]; // a tie for the maximum goes to the first
        int[] labels = new int[n];
        float[] loss = new float[n], err = new float[n * n];
        for (int label = 0; label < n; label++) {
            float[] e = new float[n];
            labels[label] = label;
            loss[label] = SoftmaxCrossEntropy.lossAndError(logits, n, label, e);
            System.arraycopy(e, 0, err, label * n, n);
        }
        c.param("n", n);
        c.param("argmax", SoftmaxCrossEntropy.argmax(logits, n));
        c.f32("logits", logits);
        c.f32("loss", loss);
        c.f32("err", err);
    }

    /** Magnitudes (uint8 and float32), layer means, budgets over a grid of errors, and top-k with ties. */
    static void select(Case c) {
        int s = c.i("structures", 8), per = c.i("per", 4), zp = c.zp("zp");
        byte[] dy = c.codes(s * per);
        System.arraycopy(dy, 0, dy, per, per); // structures 0 and 1 tie: the lower index wins
        float[] dyf = c.floats(s * per, -1f, 1f);
        int[] mag = new int[s];
        float[] magF = new float[s];
        Select.magnitudesU8(dy, zp, s, per, mag);
        Select.magnitudesF32(dyf, s, per, magF);
        float scale = c.scale();
        int[] budgets = new int[4 * 5];
        float[] lambdas = {0.1f, 0.5f, 1f, 0f}, es = {0f, 0.3f, 1f, 2.5f, Float.NaN};
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 5; b++) budgets[a * 5 + b] = Select.budget(lambdas[a], 1f, es[b], 2.5f, s);
        int[] top = new int[s * s];
        long[] scratch = new long[s];
        for (int k = 1; k <= s; k++) {
            int[] sel = new int[s];
            int got = Select.topK(mag, s, k, scratch, sel);
            System.arraycopy(sel, 0, top, (k - 1) * s, got);
        }
        c.param("structures", s);
        c.param("per", per);
        c.param("zp", zp);
        c.param("scale", scale);
        c.param("mean_u8", Select.meanU8(mag, s, scale, s * per));
        c.param("mean_f32", Select.meanF32(magF, s, s * per));
        c.u8("dy", dy);
        c.f32("dyf", dyf);
        c.i32("mag", mag);
        c.countInside(mag, 0, (long) Math.max(zp, 255 - zp) * per);
        c.f32("mag_f32", magF);
        c.f32("lambdas", lambdas);
        c.f32("errors", es);
        c.i32("budget", budgets);
        c.i32("top_k", top);
    }

    /**
     * A blob of a small model (a Linear stack, or a CNN with conv, pooling and Flatten) quantized on
     * synthetic data, and its arena size by the Java memory plan: the loader's tests start from it.
     */
    static void modelBlob(Case c) {
        Precision p = Precision.valueOf(c.s("precision", "UINT8"));
        int[] shape = {1, 6, 6};
        Model m = c.s("model", "mlp").equals("cnn")
                ? Models.init(Model.of(shape, new Conv2d(1, 2, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(18, 3)), 1)
                : Models.mlp(shape, 3, 1, 8);
        Training t = Fqt.train(m).precision(p).rounding(c.rounding()).errorRange(ErrorRange.valueOf(c.s("errors", "EXACT")))
                .optimizer(Optimizer.named(c.s("optimizer", "sgd"), 0.05f)).batch(2).seed(c.i("seed", 1)).calibration(8);
        if (c.i("partial", 0) == 1) t.partialUpdates(PartialUpdates.lambdaMin(0.25).errorBy(PartialUpdates.ErrorBy.LAYER_MEAN_ERROR));
        int[] labels = new int[8];
        for (int i = 0; i < 8; i++) labels[i] = i % 3;
        Dataset data = new Dataset("synthetic", shape, 3, c.floats(8 * 36, 0f, 1f), labels);
        Model start = t.prepareModel(data);
        c.param("arena_bytes", (int) Memory.plan(start, t).ramBytes());
        c.u8("blob", ModelBlob.write(start, t));
    }
}
