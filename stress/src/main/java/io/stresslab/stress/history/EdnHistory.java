package io.stresslab.stress.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import us.bpsm.edn.EdnException;
import us.bpsm.edn.Keyword;
import us.bpsm.edn.TaggedValue;
import us.bpsm.edn.parser.Parseable;
import us.bpsm.edn.parser.Parser;
import us.bpsm.edn.parser.Parsers;

/**
 * Reads Jepsen's {@code history.edn}: one map per line (or one vector of maps), e.g.
 * {@code {:process 0, :type :invoke, :f :write, :value 3}} then {@code {:process 0, :type :ok, :f :write, :value 3}}.
 * Jepsen's conventions map onto the public model as follows: a completion's {@code :value} is the operation's output
 * (a read's value); a {@code :cas} that completes {@code :ok} returned {@code true} (one that did not apply is
 * Jepsen's {@code :fail}); ops whose {@code :process} is not an integer (the nemesis) are left out; {@code :time}
 * (nanoseconds) orders events, or the file order when absent. With {@code independent}, every value is a
 * jepsen.independent tuple {@code [key value]} (or {@code #jepsen.independent.Tuple{:key k :value v}}) and the
 * history is split by that key. Sets read as lists; keywords as their names.
 */
public final class EdnHistory {
    private static final Keyword PROCESS = Keyword.newKeyword("process");
    private static final Keyword TYPE = Keyword.newKeyword("type");
    private static final Keyword F = Keyword.newKeyword("f");
    private static final Keyword VALUE = Keyword.newKeyword("value");
    private static final Keyword TIME = Keyword.newKeyword("time");
    private static final Keyword KEY = Keyword.newKeyword("key");

    private EdnHistory() {
    }

    public static History read(Path file, boolean independent) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new HistoryFormatException(file.toString(), "no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new HistoryFormatException(file.toString(), "not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read history " + file + ": " + e.getMessage(), e);
        }
        List<Object> ops = new ArrayList<>();
        List<String> places = new ArrayList<>();
        Parser parser = Parsers.newParser(Parsers.defaultConfiguration());
        String trimmed = text.strip();
        boolean wrapped = trimmed.startsWith("[") || trimmed.startsWith("(");
        // one operation per line (Jepsen's history.edn; Knossos's files inside one [ ] or ( )): lines are named
        HistoryFormatException lineError = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length && lineError == null; i++) {
            String line = stripComment(lines[i]).strip();
            if (wrapped && ops.isEmpty() && (line.startsWith("[") || line.startsWith("("))) {
                line = line.substring(1).strip();
            }
            if (wrapped && (line.endsWith("]") || line.endsWith(")")) && depthAfter(line) < 0) {
                line = line.substring(0, line.length() - 1).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            String at = file + ":" + (i + 1);
            try {
                ops.add(parse(parser, line, at));
                places.add(at);
            } catch (HistoryFormatException e) {
                lineError = e;
            }
        }
        if (lineError != null) {
            if (!wrapped) {
                throw lineError;
            }
            // a vector of maps laid out otherwise: read it whole, ops named by position
            ops.clear();
            places.clear();
            Object all;
            try {
                all = parse(parser, trimmed, file.toString());
            } catch (HistoryFormatException e) {
                throw lineError;
            }
            if (!(all instanceof List<?> l)) {
                throw new HistoryFormatException(file.toString(), "expected a vector of operation maps");
            }
            for (int i = 0; i < l.size(); i++) {
                ops.add(l.get(i));
                places.add(file + " op #" + (i + 1));
            }
        }
        HistoryBuilder b = History.builder();
        Boolean timed = null;
        for (int i = 0; i < ops.size(); i++) {
            String at = places.get(i);
            if (!(ops.get(i) instanceof Map<?, ?> m)) {
                throw new HistoryFormatException(at, "expected an operation map {:process .. :type .. :f ..}");
            }
            Object process = m.get(PROCESS);
            if (!(process instanceof Long)) {
                continue; // :nemesis and other non-client processes
            }
            String type = name(m.get(TYPE), at, ":type");
            String f = name(m.get(F), at, ":f");
            Object t = m.get(TIME);
            if (timed == null) {
                timed = t != null;
            } else if (timed != (t != null)) {
                throw new HistoryFormatException(at, timed ? "has no :time while earlier operations have one"
                        : "has a :time while earlier operations have none");
            }
            long time = i + 1;
            if (t != null) {
                if (!(t instanceof Long l) || l < 0) {
                    throw new HistoryFormatException(at, ":time must be a non-negative integer, got " + t);
                }
                time = l;
            }
            Object raw = m.get(VALUE);
            String key = "";
            if (independent && raw != null) {
                Object[] kv = tuple(raw, at);
                key = kv[0] instanceof Keyword k ? k.getName() : String.valueOf(kv[0]);
                raw = kv[1];
            }
            Value v = value(raw, at);
            int p = Math.toIntExact((Long) process);
            b.at(at);
            switch (type) {
                case "invoke" -> b.invoke(p, f, key, v, time);
                case "ok" -> b.complete(p, Op.Status.OK, f.equals("cas") ? Value.of(true) : v, time, f,
                        independent && raw != null ? key : null);
                case "fail" -> b.complete(p, Op.Status.FAIL, Value.NIL, time, f, null);
                case "info" -> b.complete(p, Op.Status.INFO, Value.UNKNOWN, time, f, null);
                default -> throw new HistoryFormatException(at, "unknown :type :" + type
                        + " (expected :invoke, :ok, :fail or :info)");
            }
        }
        return b.build();
    }

    private static Object parse(Parser parser, String text, String at) {
        try {
            Parseable in = Parsers.newParseable(text);
            Object v = parser.nextValue(in);
            if (v == Parser.END_OF_INPUT) {
                throw new HistoryFormatException(at, "empty");
            }
            if (parser.nextValue(in) != Parser.END_OF_INPUT) {
                throw new HistoryFormatException(at, "more than one EDN value");
            }
            return v;
        } catch (EdnException e) {
            throw new HistoryFormatException(at, "not EDN: " + e.getMessage());
        }
    }

    /** The line without a trailing ; comment (outside strings). */
    private static String stripComment(String line) {
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && inString) {
                i++;
            } else if (c == '"') {
                inString = !inString;
            } else if (c == ';' && !inString) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Bracket depth at the end of the line ({ [ ( open, } ] ) close), outside strings. */
    private static int depthAfter(String line) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && inString) {
                i++;
            } else if (c == '"') {
                inString = !inString;
            } else if (!inString && (c == '{' || c == '[' || c == '(')) {
                depth++;
            } else if (!inString && (c == '}' || c == ']' || c == ')')) {
                depth--;
            }
        }
        return depth;
    }

    private static String name(Object o, String at, String field) {
        if (o instanceof Keyword k) {
            return k.getName();
        }
        if (o instanceof String s) {
            return s;
        }
        throw new HistoryFormatException(at, "needs " + field + " as a keyword, got " + o);
    }

    private static Object[] tuple(Object raw, String at) {
        if (raw instanceof List<?> l && l.size() == 2) {
            return new Object[] {l.get(0), l.get(1)};
        }
        if (raw instanceof TaggedValue tv && tv.getValue() instanceof Map<?, ?> m && m.containsKey(KEY)) {
            return new Object[] {m.get(KEY), m.get(VALUE)};
        }
        throw new HistoryFormatException(at, "an independent :value must be a [key value] tuple, got " + raw);
    }

    static Value value(Object o, String at) {
        if (o == null) {
            return Value.NIL;
        }
        if (o instanceof Long l) {
            return Value.of(l);
        }
        if (o instanceof BigInteger b) {
            try {
                return Value.of(b.longValueExact());
            } catch (ArithmeticException e) {
                throw new HistoryFormatException(at, "integer out of range: " + b);
            }
        }
        if (o instanceof String s) {
            return Value.of(s);
        }
        if (o instanceof Keyword k) {
            return Value.of(k.getName());
        }
        if (o instanceof Boolean b) {
            return Value.of(b);
        }
        if (o instanceof Character c) {
            return Value.of(c.toString());
        }
        if (o instanceof List<?> || o instanceof Set<?>) {
            List<Value> items = new ArrayList<>();
            for (Object e : (Collection<?>) o) {
                items.add(value(e, at));
            }
            return Value.tuple(items);
        }
        throw new HistoryFormatException(at, "unsupported value " + o
                + " (use nil, an integer, a string, a keyword, a boolean, or a vector/set of them)");
    }
}
