package io.stresslab.stress.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A FIFO queue: {@code enqueue(x)}; {@code dequeue} → the oldest element, or {@code nil} when empty. An
 * indeterminate dequeue removes the head (if any) or nothing.
 */
public final class QueueModel implements Model<List<Value>> {
    private static final Set<String> OPS = Set.of("enqueue", "dequeue");

    @Override
    public List<Value> init() {
        return List.of();
    }

    @Override
    public void validate(Op op) {
        Models.known("queue", op, OPS);
        if (op.name().equals("enqueue")) {
            Models.hasInput(op, 1);
        } else {
            Models.hasOutput(op);
        }
    }

    @Override
    public Optional<List<Value>> step(List<Value> state, Op op) {
        if (op.name().equals("enqueue")) {
            List<Value> next = new ArrayList<>(state.size() + 1);
            next.addAll(state);
            next.add(op.argValue(0));
            return Optional.of(List.copyOf(next));
        }
        if (state.isEmpty()) {
            return op.status() == Op.Status.INFO || op.output().isNil() ? Optional.of(state) : Optional.empty();
        }
        if (op.status() != Op.Status.INFO && !state.get(0).equals(op.output())) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(state.subList(1, state.size())));
    }

    @Override
    public String describe(List<Value> state) {
        return Value.tuple(state).show();
    }

    @Override
    public long stateBytes(List<Value> state) {
        return 48 + 24L * state.size();
    }
}
