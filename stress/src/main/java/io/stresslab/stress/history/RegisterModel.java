package io.stresslab.stress.history;

import java.util.Objects;
import java.util.Optional;

/**
 * A read/write register with compare-and-set and increment, holding a string. Ops:
 * {@code read} → result is the value; {@code write(v)}; {@code cas(expected, new)} → {@code "true"} or
 * {@code "false"}; {@code incr} (numeric value + 1) → result is the new value. The classic lost update of a racy
 * read-modify-write shows here as two increments returning the same value.
 */
public final class RegisterModel implements Model<String> {
    private final String initial;

    /** A register that starts at {@code initial} (e.g. {@code "0"}). */
    public RegisterModel(String initial) {
        this.initial = Objects.requireNonNull(initial, "initial value");
    }

    @Override
    public String init() {
        return initial;
    }

    @Override
    public Optional<String> step(String state, Op op) {
        boolean unknown = op.status() == Op.Status.INFO;
        return switch (op.name()) {
            case "read" -> unknown || state.equals(op.result()) ? Optional.of(state) : Optional.empty();
            case "write" -> Optional.of(op.arg(0));
            case "cas" -> {
                boolean applies = state.equals(op.arg(0));
                if (!unknown && applies != Boolean.parseBoolean(op.result())) {
                    yield Optional.empty();
                }
                yield Optional.of(applies ? op.arg(1) : state);
            }
            case "incr" -> {
                String next = Long.toString(Long.parseLong(state) + 1);
                yield unknown || next.equals(op.result()) ? Optional.of(next) : Optional.empty();
            }
            default -> throw new IllegalArgumentException("register model has no op '" + op.name() + "'");
        };
    }

    @Override
    public boolean isReadOnly(Op op) {
        return op.name().equals("read");
    }
}
