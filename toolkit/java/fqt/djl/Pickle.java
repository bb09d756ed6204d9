package fqt.djl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal reader of the pickles in a TorchScript archive ({@code data.pkl}): the opcodes of
 * pickle protocol 2 that TorchScript's own pickler writes, plus the few protocol 4 framing ones.
 * Nothing is executed: classes become {@link Obj}s that hold their state, tensors become
 * {@link TensorRef}s naming their storage ({@code data/<key>} in the archive). Lists and tuples
 * are {@link List}s, dicts are {@link LinkedHashMap}s, ints {@link Long}, floats {@link Double},
 * None {@code null}. Anything else is an {@link ImportException} naming the opcode and its byte.
 */
final class Pickle {
    private Pickle() {}

    /** A class or function reference (GLOBAL). */
    record Global(String module, String name) {
        String qualified() { return module + "." + name; }
    }

    /** An instance of a (TorchScript) class, created by NEWOBJ and filled by BUILD. */
    static final class Obj {
        final Global type;
        Object state;

        Obj(Global type) { this.type = type; }

        /** Attributes of a module (its BUILD state), or an empty map. */
        @SuppressWarnings("unchecked")
        Map<Object, Object> attributes() { return state instanceof Map<?, ?> m ? (Map<Object, Object>) m : Map.of(); }
    }

    /** A call the reader does not interpret (REDUCE of an unknown function); an error only when used. */
    record Reduced(Global function, List<Object> args) {}

    /** A tensor's storage: {@code type} is the storage class ("FloatStorage"), {@code key} its file under {@code data/}. */
    record Storage(String type, String key, long numel) {}

    /** A strided view on a storage, as {@code torch._utils._rebuild_tensor_v2} describes it. */
    record TensorRef(Storage storage, long offset, long[] shape, long[] stride) {}

    private static final Object MARK = new Object();

    static Object load(byte[] data, String what) {
        Reader in = new Reader(data, what);
        List<Object> stack = new ArrayList<>();
        Map<Long, Object> memo = new HashMap<>();
        while (true) {
            int at = in.pos;
            int op = in.u8();
            switch (op) {
                case 0x80 -> in.u8(); // PROTO
                case 0x95 -> in.bytes(8); // FRAME: the frame length only helps streaming readers
                case '.' -> { // STOP
                    if (stack.size() != 1) throw in.error("stack holds " + stack.size() + " values at STOP", at);
                    return stack.get(0);
                }
                case 'c' -> stack.add(new Global(in.line(), in.line()));
                case 'q' -> memo.put((long) in.u8(), top(stack, in, at));
                case 'r' -> memo.put(in.u32(), top(stack, in, at));
                case 0x94 -> memo.put((long) memo.size(), top(stack, in, at)); // MEMOIZE
                case 'h', 'j' -> {
                    long key = op == 'h' ? in.u8() : in.u32();
                    if (!memo.containsKey(key)) throw in.error("memo " + key + " read before it was written", at);
                    stack.add(memo.get(key));
                }
                case '(' -> stack.add(MARK);
                case ')' -> stack.add(List.of());
                case 't' -> stack.add(tuple(popMark(stack, in, at)));
                case 0x85, 0x86, 0x87 -> { // TUPLE1..3
                    int n = op - 0x84;
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) items.add(0, pop(stack, in, at));
                    stack.add(tuple(items));
                }
                case ']' -> stack.add(new ArrayList<>());
                case '}' -> stack.add(new LinkedHashMap<>());
                case 'N' -> stack.add(null);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'K' -> stack.add((long) in.u8());
                case 'M' -> stack.add((long) (in.u8() | in.u8() << 8));
                case 'J' -> stack.add((long) (int) in.u32());
                case 0x8a -> stack.add(in.long1()); // LONG1
                case 'G' -> stack.add(Double.longBitsToDouble(in.be64()));
                case 'X' -> stack.add(in.utf8((int) in.u32()));
                case 0x8c -> stack.add(in.utf8(in.u8())); // SHORT_BINUNICODE
                case 'a' -> {
                    Object v = pop(stack, in, at);
                    list(peek(stack, in, at), in, at).add(v);
                }
                case 'e' -> {
                    List<Object> items = popMark(stack, in, at);
                    list(peek(stack, in, at), in, at).addAll(items);
                }
                case 's' -> {
                    Object v = pop(stack, in, at), k = pop(stack, in, at);
                    dict(peek(stack, in, at), in, at).put(k, v);
                }
                case 'u' -> {
                    List<Object> items = popMark(stack, in, at);
                    if (items.size() % 2 != 0) throw in.error("SETITEMS with an odd number of values", at);
                    Map<Object, Object> d = dict(peek(stack, in, at), in, at);
                    for (int i = 0; i < items.size(); i += 2) d.put(items.get(i), items.get(i + 1));
                }
                case 'Q' -> stack.add(storage(pop(stack, in, at), in, at)); // BINPERSID
                case 0x81 -> { // NEWOBJ
                    pop(stack, in, at); // constructor arguments: TorchScript classes take none
                    if (!(pop(stack, in, at) instanceof Global g)) throw in.error("NEWOBJ of something that is not a class", at);
                    stack.add(new Obj(g));
                }
                case 'R' -> { // REDUCE
                    Object args = pop(stack, in, at);
                    Object f = pop(stack, in, at);
                    if (!(f instanceof Global g) || !(args instanceof List<?> a)) throw in.error("REDUCE without a function and a tuple", at);
                    stack.add(reduce(g, new ArrayList<>(a), in, at));
                }
                case 'b' -> { // BUILD
                    Object state = pop(stack, in, at);
                    Object target = peek(stack, in, at);
                    if (target instanceof Obj o) o.state = state;
                    else if (target instanceof Map<?, ?> && state instanceof Map<?, ?> s) dict(target, in, at).putAll(s);
                    else throw in.error("BUILD on " + describe(target), at);
                }
                default -> throw in.error(String.format("unsupported pickle opcode 0x%02x", op), at);
            }
        }
    }

    private static Object reduce(Global f, List<Object> args, Reader in, int at) {
        switch (f.qualified()) {
            case "torch._utils._rebuild_tensor_v2" -> {
                if (args.size() < 4 || !(args.get(0) instanceof Storage s) || !(args.get(1) instanceof Long offset)) {
                    throw in.error("malformed tensor", at);
                }
                return new TensorRef(s, offset, longs(args.get(2), in, at), longs(args.get(3), in, at));
            }
            case "collections.OrderedDict" -> {
                return new LinkedHashMap<>();
            }
            case "torch.jit._pickle.build_intlist", "torch.jit._pickle.build_doublelist", "torch.jit._pickle.build_boollist",
                    "torch.jit._pickle.build_tensorlist", "torch.jit._pickle.build_genericlist" -> {
                return args.isEmpty() ? List.of() : args.get(0);
            }
            default -> {
                return new Reduced(f, args);
            }
        }
    }

    /** A persistent id ('storage', storage class, key, device, numel) naming {@code data/<key>}. */
    private static Storage storage(Object pid, Reader in, int at) {
        if (pid instanceof List<?> t && t.size() >= 5 && "storage".equals(t.get(0)) && t.get(1) instanceof Global type
                && t.get(2) instanceof String key && t.get(4) instanceof Long numel) {
            return new Storage(type.name(), key, numel);
        }
        throw in.error("unknown persistent id " + describe(pid), at);
    }

    private static long[] longs(Object o, Reader in, int at) {
        if (!(o instanceof List<?> l)) throw in.error("expected a tuple of ints, got " + describe(o), at);
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long v)) throw in.error("expected a tuple of ints, got " + describe(o), at);
            out[i] = v;
        }
        return out;
    }

    private static List<Object> tuple(List<Object> items) {
        return java.util.Collections.unmodifiableList(items);
    }

    private static Object pop(List<Object> stack, Reader in, int at) {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw in.error("stack underflow", at);
        return stack.remove(stack.size() - 1);
    }

    private static Object peek(List<Object> stack, Reader in, int at) {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw in.error("stack underflow", at);
        return stack.get(stack.size() - 1);
    }

    private static Object top(List<Object> stack, Reader in, int at) {
        if (stack.isEmpty()) throw in.error("stack underflow", at);
        return stack.get(stack.size() - 1);
    }

    private static List<Object> popMark(List<Object> stack, Reader in, int at) {
        int m = stack.lastIndexOf(MARK);
        if (m < 0) throw in.error("no MARK on the stack", at);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, Reader in, int at) {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw in.error("APPEND to " + describe(o), at);
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o, Reader in, int at) {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw in.error("SETITEM on " + describe(o), at);
    }

    private static String describe(Object o) {
        return o == null ? "None" : o == MARK ? "a MARK" : o.getClass().getSimpleName();
    }

    /** Bounds-checked little-endian reading; running off the end is a truncated file. */
    private static final class Reader {
        final byte[] b;
        final String what;
        int pos;

        Reader(byte[] b, String what) {
            this.b = b;
            this.what = what;
        }

        ImportException error(String message, int at) {
            return new ImportException(what + ": " + message + " at byte " + at);
        }

        private void need(int n) {
            if (n < 0 || pos + n > b.length) {
                throw new ImportException(what + " is truncated (needs " + n + " more bytes at byte " + pos + " of " + b.length + ")");
            }
        }

        int u8() {
            need(1);
            return b[pos++] & 0xFF;
        }

        long u32() {
            need(4);
            long v = (b[pos] & 0xFFL) | (b[pos + 1] & 0xFFL) << 8 | (b[pos + 2] & 0xFFL) << 16 | (b[pos + 3] & 0xFFL) << 24;
            pos += 4;
            return v;
        }

        long be64() {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) v = v << 8 | (b[pos + i] & 0xFFL);
            pos += 8;
            return v;
        }

        /** LONG1: a length byte, then that many bytes of a little-endian two's complement integer (at most 8 here). */
        long long1() {
            int n = u8();
            if (n > 8) throw error("integer of " + n + " bytes", pos - 2);
            need(n);
            long v = 0;
            for (int i = n - 1; i >= 0; i--) v = v << 8 | (b[pos + i] & 0xFFL);
            if (n > 0 && n < 8 && (b[pos + n - 1] & 0x80) != 0) v -= 1L << (8 * n);
            pos += n;
            return v;
        }

        byte[] bytes(int n) {
            need(n);
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        String utf8(int n) {
            return new String(bytes(n), StandardCharsets.UTF_8);
        }

        String line() {
            int start = pos;
            while (pos < b.length && b[pos] != '\n') pos++;
            need(1);
            String s = new String(b, start, pos - start, StandardCharsets.UTF_8);
            pos++;
            return s;
        }
    }
}
