package io.stresslab.stress.history;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A register holding one {@link Value}. Ops: {@code read} → output is the value; {@code write(v)}; and, in the
 * cas-register, {@code cas([expected new])} → output {@code true}/{@code false} (anything else is rejected as
 * malformed; Jepsen's convention — a cas that did not apply completes as {@code fail} — works too) and
 * {@code incr} (numeric value + 1) → output is the new value. The classic lost update of a racy read-modify-write
 * shows as two increments returning the same value.
 */
public final class RegisterModel implements Model<Value> {
    private static final Set<String> READ_WRITE = Set.of("read", "write");
    private static final Set<String> WITH_CAS = Set.of("read", "write", "cas", "incr");

    private final Value initial;
    private final Set<String> ops;
    private final String name;

    private RegisterModel(Value initial, Set<String> ops, String name) {
        this.initial = Objects.requireNonNull(initial, "initial value");
        this.ops = ops;
        this.name = name;
    }

    /** A cas-register that starts at the text {@code initial} (e.g. {@code "0"}): read, write, cas, incr. */
    public RegisterModel(String initial) {
        this(Value.of(Objects.requireNonNull(initial, "initial value")), WITH_CAS, "cas-register");
    }

    /** A read/write register (no cas) starting at {@code initial} ({@link Value#NIL} for Jepsen's registers). */
    public static RegisterModel readWrite(Value initial) {
        return new RegisterModel(initial, READ_WRITE, "register");
    }

    /** A register with read, write, cas and incr, starting at {@code initial}. */
    public static RegisterModel casRegister(Value initial) {
        return new RegisterModel(initial, WITH_CAS, "cas-register");
    }

    @Override
    public Value init() {
        return initial;
    }

    @Override
    public void validate(Op op) {
        Models.known(name, op, ops);
        switch (op.name()) {
            case "read" -> Models.hasOutput(op);
            case "write" -> Models.hasInput(op, 1);
            case "cas" -> {
                Models.hasInput(op, 2);
                if (op.status() == Op.Status.OK) {
                    Models.bool(op);
                }
            }
            default -> {
                if (op.status() == Op.Status.OK) {
                    Models.integer(op, op.output(), "result");
                }
            }
        }
    }

    @Override
    public Optional<Value> step(Value state, Op op) {
        boolean unknown = op.status() == Op.Status.INFO;
        return switch (op.name()) {
            case "read" -> unknown || state.equals(op.output()) ? Optional.of(state) : Optional.empty();
            case "write" -> Optional.of(op.argValue(0));
            case "cas" -> {
                boolean applies = state.equals(op.argValue(0));
                if (!unknown && applies != Models.bool(op)) {
                    yield Optional.empty();
                }
                yield Optional.of(applies ? op.argValue(1) : state);
            }
            case "incr" -> {
                long n = Models.integer(op, state.isNil() ? Value.of(0) : state, "register value");
                Value next = state instanceof Value.Str ? Value.of(Long.toString(n + 1)) : Value.of(n + 1);
                yield unknown || next.text().equals(op.output().text()) ? Optional.of(next) : Optional.empty();
            }
            default -> throw new IllegalArgumentException(name + " model has no operation '" + op.name() + "'");
        };
    }

    @Override
    public boolean isReadOnly(Op op) {
        return op.name().equals("read");
    }

    @Override
    public String describe(Value state) {
        return state.show();
    }
}
