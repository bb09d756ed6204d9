package fqt.wire;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A payload as the test vectors write it, one {@code name value} line per field, exactly as
 * {@code firmware/proto/tests/proto_test.c} prints what it decoded: names in snake_case, int as
 * signed decimal, long (u32, u64) as unsigned decimal, float as its bits {@code 0x3f800000}, bytes
 * as hex ({@code -} when empty), String as text, arrays of numbers comma-separated, nested records
 * with a {@code name[i].} prefix.
 */
final class WireFields {
    private WireFields() {}

    /** Which payload a frame carries, by its type and status ({@code payload_fields} in proto_test.c). */
    static Object decode(int type, int status, byte[] p) {
        boolean response = (type & Frame.RESPONSE_BIT) != 0;
        int request = type & ~Frame.RESPONSE_BIT;
        if (response && status != Messages.OK) return new Detail(Messages.decodeDetail(p));
        if (request == Messages.ECHO) return new Raw(p);
        if (response) {
            return switch (request) {
                case Messages.HELLO -> Messages.Hello.decode(p);
                case Messages.INFO -> Messages.Info.decode(p);
                case Messages.LOAD_MODEL, Messages.WRITE_STATE, Messages.STAGE_INPUT -> Messages.LoadAck.decode(p);
                case Messages.TRAIN_SAMPLE -> Messages.SampleResult.decode(p);
                case Messages.TRAIN_BATCH, Messages.TRAIN_STAGED -> Messages.Results.decode(p);
                case Messages.EVALUATE, Messages.EVALUATE_STAGED -> Messages.Predictions.decode(p);
                case Messages.READ_WEIGHTS, Messages.READ_STATE -> Messages.WeightsChunk.decode(p);
                case Messages.READ_STATS -> Messages.Stats.decode(p);
                default -> empty(p);
            };
        }
        return switch (request) {
            case Messages.LOAD_MODEL, Messages.WRITE_STATE, Messages.STAGE_INPUT -> Messages.LoadModel.decode(p);
            case Messages.CONFIGURE -> Messages.Configure.decode(p);
            case Messages.TRAIN_SAMPLE, Messages.TRAIN_STAGED -> Messages.TrainSample.decode(p);
            case Messages.EVALUATE_STAGED -> Messages.EvaluateStaged.decode(p);
            case Messages.TRAIN_BATCH, Messages.EVALUATE -> Messages.Samples.decode(p);
            case Messages.READ_WEIGHTS, Messages.READ_STATE -> Messages.ReadWeights.decode(p);
            default -> empty(p);
        };
    }

    /** The payload bytes of what {@link #decode} returned. */
    static byte[] encode(Object m) {
        if (m instanceof Detail d) return Messages.encodeDetail(d.detail());
        if (m instanceof Raw r) return r.data();
        if (m instanceof Empty) return new byte[0];
        try {
            return (byte[]) m.getClass().getMethod("encode").invoke(m);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The detail of a response whose status is not OK. */
    record Detail(int detail) {}

    /** ECHO's bytes. */
    record Raw(byte[] data) {}

    /** A message without payload. */
    record Empty() {}

    private static Empty empty(byte[] p) {
        if (p.length != 0) throw new WireException(WireException.Kind.PAYLOAD, "bad payload: " + p.length + " bytes where none belong");
        return new Empty();
    }

    static List<String> lines(Object record) {
        List<String> out = new ArrayList<>();
        add(out, "", record);
        return out;
    }

    private static void add(List<String> out, String prefix, Object record) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String name = prefix + snake(c.getName());
            if (v instanceof Record[] rs) {
                for (int i = 0; i < rs.length; i++) add(out, name + "[" + i + "].", rs[i]);
            } else {
                out.add(name + " " + value(v));
            }
        }
    }

    private static String value(Object v) {
        if (v instanceof Integer i) return Integer.toString(i);
        if (v instanceof Long l) return Long.toUnsignedString(l);
        if (v instanceof Float f) return String.format("0x%08x", Float.floatToRawIntBits(f));
        if (v instanceof String s) return s;
        if (v instanceof byte[] b) return hex(b);
        if (v instanceof int[] a) return join(a.length, i -> Integer.toString(a[i]));
        if (v instanceof long[] a) return join(a.length, i -> Long.toUnsignedString(a[i]));
        if (v instanceof byte[][] a) return join(a.length, i -> hex(a[i]));
        throw new IllegalArgumentException("no vector format for " + v.getClass());
    }

    static String hex(byte[] b) {
        return b.length == 0 ? "-" : HexFormat.of().formatHex(b);
    }

    static byte[] unhex(String s) {
        return s.equals("-") ? new byte[0] : HexFormat.of().parseHex(s);
    }

    private static String join(int n, java.util.function.IntFunction<String> item) {
        if (n == 0) return "-";
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) parts.add(item.apply(i));
        return String.join(",", parts);
    }

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }
}
