package fqt.djl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the Python subset TorchScript writes into {@code code/__torch__/...py}: classes with
 * methods whose bodies are assignments, returns, if/else, and expressions made of names,
 * attributes, calls, literals, lists and tuples. A statement outside that subset (a loop, an
 * operator expression) parses to {@link Unsupported}, which is only an error if it is executed:
 * TorchScript files hold much code that an inference forward pass never reaches.
 */
final class PyCode {
    private PyCode() {}

    sealed interface Expr {}
    record Name(String id) implements Expr {}
    record Const(Object value) implements Expr {}
    record ListLit(List<Expr> items) implements Expr {}
    record TupleLit(List<Expr> items) implements Expr {}
    record Attr(Expr target, String name) implements Expr {}
    record Index(Expr target, Expr index) implements Expr {}
    /**
     * {@code keywords} names the last arguments, which were passed by keyword (TorchScript rarely
     * prints them: {@code torch.add(x, y, alpha=2)}).
     */
    record Call(Expr function, List<Expr> args, List<String> keywords) implements Expr {}

    sealed interface Stmt { int line(); }
    record Assign(List<String> targets, Expr value, int line) implements Stmt {}
    record Return(Expr value, int line) implements Stmt {}
    record If(Expr condition, List<Stmt> then, List<Stmt> otherwise, int line) implements Stmt {}
    record Eval(Expr expr, int line) implements Stmt {}
    record Unsupported(String text, String reason, int line) implements Stmt {}

    record Method(String name, List<String> params, List<Stmt> body) {}
    record ClassDef(String name, Map<String, Method> methods) {}

    /** One logical line: physical lines joined while brackets are open. */
    private record Line(int indent, String text, int number) {}

    /** The classes of one code file, by simple name. */
    static Map<String, ClassDef> parse(String source) {
        List<Line> lines = logicalLines(source);
        Map<String, ClassDef> classes = new HashMap<>();
        int i = 0;
        while (i < lines.size()) {
            Line l = lines.get(i);
            if (l.indent == 0 && l.text.startsWith("class ")) {
                String name = l.text.substring(6).split("[(:]")[0].trim();
                Map<String, Method> methods = new HashMap<>();
                i++;
                while (i < lines.size() && lines.get(i).indent > 0) {
                    Line m = lines.get(i);
                    if (m.text.startsWith("def ")) {
                        int end = blockEnd(lines, i + 1, m.indent);
                        Method method = method(m, lines.subList(i + 1, end));
                        methods.put(method.name(), method);
                        i = end;
                    } else {
                        i++; // attribute declarations and annotations: the pickle holds the values
                    }
                }
                classes.put(name, new ClassDef(name, methods));
            } else {
                i++; // module-level functions (torch.nn.functional): the importer knows them by name
            }
        }
        return classes;
    }

    private static int blockEnd(List<Line> lines, int from, int indent) {
        int i = from;
        while (i < lines.size() && lines.get(i).indent > indent) i++;
        return i;
    }

    private static Method method(Line header, List<Line> body) {
        List<Token> t = tokens(header.text, header.number);
        String name = t.get(1).text;
        List<String> params = new ArrayList<>();
        int depth = 0;
        boolean expectName = true;
        for (int k = 3; k < t.size(); k++) {
            String s = t.get(k).text;
            if (s.equals("(") || s.equals("[")) depth++;
            else if (s.equals(")") || s.equals("]")) {
                if (depth-- == 0) break;
            } else if (s.equals(",") && depth == 0) expectName = true;
            else if (expectName && t.get(k).kind == Kind.NAME) {
                params.add(s);
                expectName = false;
            }
        }
        return new Method(name, params, block(body, 0, body.size()));
    }

    private static List<Stmt> block(List<Line> lines, int from, int to) {
        List<Stmt> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            Line l = lines.get(i);
            int end = blockEnd(lines.subList(0, to), i + 1, l.indent);
            if (l.text.startsWith("if ") && l.text.endsWith(":")) {
                List<Stmt> then = block(lines, i + 1, end);
                List<Stmt> otherwise = List.of();
                int next = end;
                if (end < to && lines.get(end).indent == l.indent && lines.get(end).text.equals("else:")) {
                    next = blockEnd(lines.subList(0, to), end + 1, l.indent);
                    otherwise = block(lines, end + 1, next);
                }
                Expr cond = expression(l.text.substring(3, l.text.length() - 1), l.number);
                out.add(cond == null ? new Unsupported(l.text, "unreadable condition", l.number) : new If(cond, then, otherwise, l.number));
                i = next;
            } else if (end > i + 1 || l.text.endsWith(":")) {
                out.add(new Unsupported(l.text, "control flow other than if/else", l.number));
                i = end;
            } else {
                out.add(statement(l));
                i++;
            }
        }
        return out;
    }

    private static Stmt statement(Line l) {
        String s = l.text;
        if (s.equals("pass")) return new Eval(new Const(null), l.number);
        try {
            if (s.equals("return")) return new Return(new Const(null), l.number);
            if (s.startsWith("return ")) return new Return(parseAll(tokens(s.substring(7), l.number)), l.number);
            List<Token> t = tokens(s, l.number);
            int eq = -1, depth = 0;
            for (int k = 0; k < t.size(); k++) {
                String x = t.get(k).text;
                if ("([".contains(x)) depth++;
                else if (")]".contains(x)) depth--;
                else if (x.equals("=") && depth == 0 && t.get(k).kind == Kind.OP) {
                    eq = k;
                    break;
                }
            }
            if (eq < 0) return new Eval(parseAll(t), l.number);
            List<String> targets = new ArrayList<>();
            for (int k = 0; k < eq; k++) {
                Token tk = t.get(k);
                if (tk.kind == Kind.NAME) targets.add(tk.text);
                else if (!tk.text.equals(",")) return new Unsupported(s, "assignment to something other than names", l.number);
            }
            return new Assign(targets, parseAll(t.subList(eq + 1, t.size())), l.number);
        } catch (IllegalArgumentException e) {
            return new Unsupported(s, e.getMessage(), l.number);
        }
    }

    private static Expr expression(String text, int line) {
        try {
            return parseAll(tokens(text, line));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- tokens ----

    private enum Kind { NAME, NUMBER, STRING, OP }

    private record Token(Kind kind, String text) {}

    private static List<Token> tokens(String s, int line) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ') {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                out.add(new Token(Kind.NAME, s.substring(i, j)));
                i = j;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int j = i;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.'
                        || s.charAt(j) == 'e' || s.charAt(j) == 'E'
                        || ((s.charAt(j) == '-' || s.charAt(j) == '+') && (s.charAt(j - 1) == 'e' || s.charAt(j - 1) == 'E')))) j++;
                out.add(new Token(Kind.NUMBER, s.substring(i, j)));
                i = j;
            } else if (c == '"' || c == '\'') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) {
                    if (s.charAt(j) == '\\' && j + 1 < s.length()) j++;
                    sb.append(s.charAt(j++));
                }
                if (j >= s.length()) throw new IllegalArgumentException("unterminated string on line " + line);
                out.add(new Token(Kind.STRING, sb.toString()));
                i = j + 1;
            } else if (s.startsWith("->", i) || s.startsWith("==", i) || s.startsWith("!=", i)) {
                out.add(new Token(Kind.OP, s.substring(i, i + 2)));
                i += 2;
            } else {
                out.add(new Token(Kind.OP, String.valueOf(c)));
                i++;
            }
        }
        return out;
    }

    // ---- expressions: recursive descent over one statement's tokens ----

    private static Expr parseAll(List<Token> t) {
        int[] pos = {0};
        Expr e = parseExpr(t, pos);
        if (pos[0] != t.size()) throw new IllegalArgumentException("unexpected '" + t.get(pos[0]).text + "'");
        return e;
    }

    private static Expr parseExpr(List<Token> t, int[] pos) {
        if (is(t, pos, "-")) {
            pos[0]++;
            Expr inner = parseExpr(t, pos);
            if (inner instanceof Const c && c.value() instanceof Long v) return new Const(-v);
            if (inner instanceof Const c && c.value() instanceof Double v) return new Const(-v);
            throw new IllegalArgumentException("unary minus on an expression");
        }
        Expr e = atom(t, pos);
        while (pos[0] < t.size()) {
            if (is(t, pos, ".")) {
                pos[0]++;
                e = new Attr(e, next(t, pos).text);
            } else if (is(t, pos, "(")) {
                pos[0]++;
                List<Expr> args = new ArrayList<>();
                List<String> keywords = new ArrayList<>();
                while (!is(t, pos, ")")) {
                    if (pos[0] + 1 < t.size() && t.get(pos[0]).kind == Kind.NAME && t.get(pos[0] + 1).text.equals("=")) {
                        keywords.add(t.get(pos[0]).text);
                        pos[0] += 2;
                    } else if (!keywords.isEmpty()) {
                        throw new IllegalArgumentException("a positional argument after a keyword argument");
                    }
                    args.add(parseExpr(t, pos));
                    if (is(t, pos, ",")) pos[0]++;
                    else if (!is(t, pos, ")")) throw new IllegalArgumentException("expected ',' or ')'");
                }
                pos[0]++;
                e = new Call(e, args, keywords);
            } else if (is(t, pos, "[")) {
                pos[0]++;
                Expr index = parseExpr(t, pos);
                expect(t, pos, "]");
                e = new Index(e, index);
            } else {
                break;
            }
        }
        return e;
    }

    private static Expr atom(List<Token> t, int[] pos) {
        Token tk = next(t, pos);
        switch (tk.kind) {
            case NAME -> {
                return switch (tk.text) {
                    case "True" -> new Const(Boolean.TRUE);
                    case "False" -> new Const(Boolean.FALSE);
                    case "None" -> new Const(null);
                    default -> new Name(tk.text);
                };
            }
            case NUMBER -> {
                boolean real = tk.text.contains(".") || tk.text.contains("e") || tk.text.contains("E");
                return new Const(real ? (Object) Double.parseDouble(tk.text) : (Object) Long.parseLong(tk.text));
            }
            case STRING -> {
                return new Const(tk.text);
            }
            default -> {
                if (tk.text.equals("(") || tk.text.equals("[")) {
                    String close = tk.text.equals("(") ? ")" : "]";
                    List<Expr> items = new ArrayList<>();
                    boolean comma = false;
                    while (!is(t, pos, close)) {
                        items.add(parseExpr(t, pos));
                        if (is(t, pos, ",")) {
                            pos[0]++;
                            comma = true;
                        } else if (!is(t, pos, close)) {
                            throw new IllegalArgumentException("expected ',' or '" + close + "'");
                        }
                    }
                    pos[0]++;
                    if (close.equals("]")) return new ListLit(items);
                    return items.size() == 1 && !comma ? items.get(0) : new TupleLit(items);
                }
                throw new IllegalArgumentException("unexpected '" + tk.text + "'");
            }
        }
    }

    private static boolean is(List<Token> t, int[] pos, String op) {
        return pos[0] < t.size() && t.get(pos[0]).kind == Kind.OP && t.get(pos[0]).text.equals(op);
    }

    private static Token next(List<Token> t, int[] pos) {
        if (pos[0] >= t.size()) throw new IllegalArgumentException("unexpected end of line");
        return t.get(pos[0]++);
    }

    private static void expect(List<Token> t, int[] pos, String op) {
        if (!is(t, pos, op)) throw new IllegalArgumentException("expected '" + op + "'");
        pos[0]++;
    }

    // ---- logical lines ----

    private static List<Line> logicalLines(String source) {
        List<Line> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int depth = 0, indent = 0, start = 1, number = 1;
        char quote = 0;
        boolean atLineStart = true;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (atLineStart) {
                if (c == ' ') {
                    indent++;
                    continue;
                }
                atLineStart = false;
                start = number;
            }
            if (quote != 0) {
                text.append(c);
                if (c == '\\' && i + 1 < source.length()) text.append(source.charAt(++i));
                else if (c == quote) quote = 0;
                continue;
            }
            if (c == '\n') {
                number++;
                if (depth > 0) {
                    text.append(' ');
                    continue;
                }
                if (!text.toString().isBlank()) out.add(new Line(indent, text.toString().trim(), start));
                text.setLength(0);
                indent = 0;
                atLineStart = true;
                continue;
            }
            if (c == '"' || c == '\'') quote = c;
            else if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') depth = Math.max(0, depth - 1);
            else if (c == '#') { // a comment runs to the end of the line
                while (i + 1 < source.length() && source.charAt(i + 1) != '\n') i++;
                continue;
            }
            text.append(c);
        }
        if (!text.toString().isBlank()) out.add(new Line(indent, text.toString().trim(), start));
        return out;
    }
}
