package io.stresslab.stress.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One key of a key-value store (the checker splits a history by key): {@code get} → the value ({@code nil} if
 * never put); {@code put(v)}; {@code append(v)} — a text {@code v} is concatenated to a text value, any other
 * {@code v} is appended as the last element of a list value (a {@code nil} value counts as empty for both).
 * {@code read}/{@code write} are accepted as {@code get}/{@code put}.
 */
public final class KvModel implements Model<Value> {
    private static final Set<String> OPS = Set.of("get", "put", "append", "read", "write");
    private final Value initial;

    public KvModel() {
        this(Value.NIL);
    }

    public KvModel(Value initial) {
        this.initial = initial;
    }

    @Override
    public Value init() {
        return initial;
    }

    @Override
    public void validate(Op op) {
        Models.known("kv", op, OPS);
        switch (op.name()) {
            case "get", "read" -> Models.hasOutput(op);
            default -> Models.hasInput(op, 1);
        }
    }

    @Override
    public Optional<Value> step(Value state, Op op) {
        return switch (op.name()) {
            case "get", "read" -> op.status() == Op.Status.INFO || state.equals(op.output()) ? Optional.of(state)
                    : Optional.empty();
            case "put", "write" -> Optional.of(op.argValue(0));
            default -> append(state, op.argValue(0));
        };
    }

    static Optional<Value> append(Value state, Value v) {
        if (v instanceof Value.Str s) {
            if (state.isNil()) {
                return Optional.of(s);
            }
            return state instanceof Value.Str old ? Optional.of(Value.of(old.value() + s.value())) : Optional.empty();
        }
        if (state.isNil()) {
            return Optional.of(Value.tuple(v));
        }
        if (state instanceof Value.Tuple t) {
            List<Value> items = new ArrayList<>(t.items().size() + 1);
            items.addAll(t.items());
            items.add(v);
            return Optional.of(Value.tuple(items));
        }
        return Optional.empty();
    }

    @Override
    public boolean isReadOnly(Op op) {
        return op.name().equals("get") || op.name().equals("read");
    }

    @Override
    public String describe(Value state) {
        return state.show();
    }

    @Override
    public long stateBytes(Value state) {
        return 48 + (state.text() == null ? 0 : 2L * state.text().length());
    }
}
