package fqt.wire;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Variants of a record tree, one per field: each differs from the base in exactly that field (for
 * a sealed interface field, in its type, then in each field of that type). Keys name the field.
 * A value the record refuses with this base (IN_PLACE gradients at a batch above 1) is left out:
 * walk a second base where it is valid.
 */
final class ConfigWalk {
    private ConfigWalk() {}

    /** Puts into {@code out} a variant of {@code base} per field, keyed by the field's path. */
    static <R extends Record> void variants(String prefix, R base, Map<String, R> out) throws Exception {
        RecordComponent[] cs = base.getClass().getRecordComponents();
        for (int i = 0; i < cs.length; i++) {
            Object v = cs[i].getAccessor().invoke(base);
            String path = prefix + cs[i].getName();
            int field = i;
            for (Map.Entry<String, Object> alt : alternatives(path, cs[i].getType(), v).entrySet()) {
                try {
                    out.put(alt.getKey(), with(base, field, alt.getValue()));
                } catch (java.lang.reflect.InvocationTargetException e) {
                    if (!(e.getCause() instanceof IllegalArgumentException)) throw e;
                }
            }
        }
    }

    /** Other values of a field, keyed by path: enums, booleans, numbers, nested records, sealed interfaces. */
    private static Map<String, Object> alternatives(String path, Class<?> type, Object v) throws Exception {
        Map<String, Object> alt = new java.util.LinkedHashMap<>();
        if (type.isEnum()) {
            for (Object e : type.getEnumConstants()) if (e != v) alt.put(path + "=" + e, e);
        } else if (type == boolean.class) {
            alt.put(path, !(Boolean) v);
        } else if (type == int.class) {
            alt.put(path, (Integer) v + 1);
        } else if (type == long.class) {
            alt.put(path, (Long) v + 12_345_678_901L);
        } else if (type == float.class) {
            float f = (Float) v;
            alt.put(path, f != 0f ? f / 2 : 0.5f);
        } else if (type.isRecord()) {
            Map<String, Record> nested = new java.util.LinkedHashMap<>();
            variants(path + ".", (Record) v, nested);
            alt.putAll(nested);
        } else if (type.isSealed()) {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                Record r = sub == v.getClass() ? (Record) v : sample(sub);
                if (sub != v.getClass()) alt.put(path + "=" + sub.getSimpleName(), r);
                Map<String, Record> nested = new java.util.LinkedHashMap<>();
                variants(path + "=" + sub.getSimpleName() + ".", r, nested);
                alt.putAll(nested);
            }
        } else {
            throw new AssertionError(path + ": no way to vary a field of type " + type.getName() + "; teach ConfigWalk");
        }
        return alt;
    }

    /** A record of a permitted type with every float 0.25 (valid for every optimizer's hyper-parameters). */
    private static Record sample(Class<?> type) throws Exception {
        RecordComponent[] cs = type.getRecordComponents();
        Object[] args = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            if (cs[i].getType() != float.class) throw new AssertionError(type + "." + cs[i].getName() + ": teach ConfigWalk.sample");
            args[i] = 0.25f;
        }
        return (Record) canonical(type).newInstance(args);
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R with(R base, int field, Object value) throws Exception {
        RecordComponent[] cs = base.getClass().getRecordComponents();
        List<Object> args = new ArrayList<>();
        for (RecordComponent c : cs) args.add(c.getAccessor().invoke(base));
        args.set(field, value);
        return (R) canonical(base.getClass()).newInstance(args.toArray());
    }

    private static Constructor<?> canonical(Class<?> type) throws Exception {
        RecordComponent[] cs = type.getRecordComponents();
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) types[i] = cs[i].getType();
        return type.getDeclaredConstructor(types);
    }
}
