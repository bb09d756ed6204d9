package fqt.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} options plus positional words; unknown options are errors. */
final class Args {
    private final Map<String, String> options = new LinkedHashMap<>();
    final List<String> positional = new ArrayList<>();

    Args(String[] argv, int from, Set<String> valued, Set<String> flags) {
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                options.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) throw new IllegalArgumentException("--" + name + " needs a value");
                    value = argv[++i];
                }
                options.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown option --" + name + " (known: " + known(valued, flags) + ")");
            }
        }
    }

    private static String known(Set<String> valued, Set<String> flags) {
        List<String> all = new ArrayList<>();
        valued.forEach(v -> all.add("--" + v + " X"));
        flags.forEach(f -> all.add("--" + f));
        return String.join(", ", all);
    }

    String get(String name, String dflt) { return options.getOrDefault(name, dflt); }
    boolean flag(String name) { return options.containsKey(name); }

    int getInt(String name, int dflt) {
        String v = options.get(name);
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a whole number, got '" + v + "'");
        }
    }

    float getFloat(String name, float dflt) {
        String v = options.get(name);
        try {
            return v == null ? dflt : Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number, got '" + v + "'");
        }
    }
}
