package io.stresslab.stress.history;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A grow-only set: {@code add(x)}; {@code read} → every element, as a list in any order (duplicates count once).
 */
public final class SetModel implements Model<Set<Value>> {
    private static final Set<String> OPS = Set.of("add", "read");

    @Override
    public Set<Value> init() {
        return Set.of();
    }

    @Override
    public void validate(Op op) {
        Models.known("set", op, OPS);
        if (op.name().equals("add")) {
            Models.hasInput(op, 1);
        } else if (op.status() == Op.Status.OK && !(op.output() instanceof Value.Tuple)) {
            throw new IllegalArgumentException("set read result must be a list of elements, got "
                    + op.output().show());
        }
    }

    @Override
    public Optional<Set<Value>> step(Set<Value> state, Op op) {
        if (op.name().equals("add")) {
            if (state.contains(op.argValue(0))) {
                return Optional.of(state);
            }
            Set<Value> next = new HashSet<>(state);
            next.add(op.argValue(0));
            return Optional.of(Set.copyOf(next));
        }
        if (op.status() == Op.Status.INFO) {
            return Optional.of(state);
        }
        Set<Value> read = new HashSet<>(((Value.Tuple) op.output()).items());
        return read.equals(state) ? Optional.of(state) : Optional.empty();
    }

    @Override
    public boolean isReadOnly(Op op) {
        return op.name().equals("read");
    }

    @Override
    public String describe(Set<Value> state) {
        Set<String> sorted = new TreeSet<>();
        state.forEach(v -> sorted.add(v.show()));
        return "#{" + String.join(" ", sorted) + "}";
    }

    @Override
    public long stateBytes(Set<Value> state) {
        return 48 + 40L * state.size();
    }
}
