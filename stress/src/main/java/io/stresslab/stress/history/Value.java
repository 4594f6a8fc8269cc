package io.stresslab.stress.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A typed value in a history: an operation's input or its output. Values compare by type and content, so the
 * integer {@code 3} and the string {@code "3"} differ (a history written as text stays text throughout).
 * <ul>
 *   <li>{@link #NIL}: an explicit "nothing" — e.g. a read of a register never written, a dequeue of an empty queue,
 *       JSON {@code null} / EDN {@code nil};</li>
 *   <li>{@link #UNKNOWN}: the value is not known — the output of an {@code info} (indeterminate) operation;</li>
 *   <li>{@link Int}, {@link Str}, {@link Bool}: scalars;</li>
 *   <li>{@link Tuple}: an ordered list, e.g. a cas's {@code [expected, new]} or a set read's elements.</li>
 * </ul>
 */
public sealed interface Value permits Value.Nil, Value.Unknown, Value.Int, Value.Str, Value.Bool, Value.Tuple {

    Value NIL = Nil.INSTANCE;
    Value UNKNOWN = Unknown.INSTANCE;

    static Value of(long n) {
        return new Int(n);
    }

    static Value of(String s) {
        return s == null ? NIL : new Str(s);
    }

    static Value of(boolean b) {
        return new Bool(b);
    }

    static Value tuple(Value... items) {
        return new Tuple(List.of(items));
    }

    static Value tuple(List<Value> items) {
        return new Tuple(items);
    }

    /** The value of a plain Java object: null → NIL, numbers, strings, booleans, lists (nested) — else an error. */
    static Value ofObject(Object o) {
        if (o == null) {
            return NIL;
        }
        if (o instanceof Value v) {
            return v;
        }
        if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
            return new Int(((Number) o).longValue());
        }
        if (o instanceof String s) {
            return new Str(s);
        }
        if (o instanceof Boolean b) {
            return new Bool(b);
        }
        if (o instanceof List<?> l) {
            List<Value> items = new ArrayList<>(l.size());
            l.forEach(e -> items.add(ofObject(e)));
            return new Tuple(items);
        }
        throw new IllegalArgumentException("unsupported value " + o + " (" + o.getClass().getSimpleName()
                + "): use an integer, a string, a boolean, nil or a list of them");
    }

    /** The value as text for the legacy string view ({@link Op#result()}, {@link Op#args()}): null for nil/unknown. */
    String text();

    /**
     * The value as written in explanations: {@code 3}, {@code "a"} → {@code a}, {@code nil}, {@code ?}, {@code [1 2]}.
     */
    String show();

    /** The element {@code i} of a tuple; fails with one line otherwise. */
    default Value item(int i) {
        throw new IllegalArgumentException("expected a list, got " + show());
    }

    default boolean isNil() {
        return this == NIL;
    }

    default boolean isUnknown() {
        return this == UNKNOWN;
    }

    /** Explicit "nothing" (JSON null, EDN nil). */
    final class Nil implements Value {
        static final Nil INSTANCE = new Nil();

        private Nil() {
        }

        @Override
        public String text() {
            return null;
        }

        @Override
        public String show() {
            return "nil";
        }

        @Override
        public String toString() {
            return "nil";
        }
    }

    /** Not known (an indeterminate operation's output). */
    final class Unknown implements Value {
        static final Unknown INSTANCE = new Unknown();

        private Unknown() {
        }

        @Override
        public String text() {
            return null;
        }

        @Override
        public String show() {
            return "?";
        }

        @Override
        public String toString() {
            return "?";
        }
    }

    record Int(long value) implements Value {
        @Override
        public String text() {
            return Long.toString(value);
        }

        @Override
        public String show() {
            return text();
        }

        @Override
        public String toString() {
            return text();
        }
    }

    record Str(String value) implements Value {
        public Str {
            Objects.requireNonNull(value, "string value");
        }

        @Override
        public String text() {
            return value;
        }

        @Override
        public String show() {
            return value;
        }

        @Override
        public String toString() {
            return value;
        }
    }

    record Bool(boolean value) implements Value {
        @Override
        public String text() {
            return Boolean.toString(value);
        }

        @Override
        public String show() {
            return text();
        }

        @Override
        public String toString() {
            return text();
        }
    }

    record Tuple(List<Value> items) implements Value {
        public Tuple {
            items = List.copyOf(items);
        }

        @Override
        public Value item(int i) {
            if (i >= items.size()) {
                throw new IllegalArgumentException("expected at least " + (i + 1) + " elements in " + show());
            }
            return items.get(i);
        }

        @Override
        public String text() {
            return show();
        }

        @Override
        public String show() {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                sb.append(i == 0 ? "" : " ").append(items.get(i).show());
            }
            return sb.append(']').toString();
        }

        @Override
        public String toString() {
            return show();
        }
    }
}
