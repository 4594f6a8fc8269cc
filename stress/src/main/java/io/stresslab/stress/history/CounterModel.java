package io.stresslab.stress.history;

import java.util.Optional;
import java.util.Set;

/**
 * A counter starting at 0: {@code add(n)} (an integer, may be negative; {@code incr} adds 1) and {@code read} → the
 * count.
 */
public final class CounterModel implements Model<Long> {
    private static final Set<String> OPS = Set.of("add", "incr", "read");

    @Override
    public Long init() {
        return 0L;
    }

    @Override
    public void validate(Op op) {
        Models.known("counter", op, OPS);
        switch (op.name()) {
            case "add" -> Models.integer(op, op.argValue(0), "amount");
            case "read" -> {
                if (op.status() == Op.Status.OK) {
                    Models.integer(op, op.output(), "result");
                }
            }
            default -> {
            }
        }
    }

    @Override
    public Optional<Long> step(Long state, Op op) {
        return switch (op.name()) {
            case "add" -> Optional.of(state + Models.integer(op, op.argValue(0), "amount"));
            case "incr" -> Optional.of(state + 1);
            default -> op.status() == Op.Status.INFO || state == Models.integer(op, op.output(), "result")
                    ? Optional.of(state) : Optional.empty();
        };
    }

    @Override
    public boolean isReadOnly(Op op) {
        return op.name().equals("read");
    }
}
