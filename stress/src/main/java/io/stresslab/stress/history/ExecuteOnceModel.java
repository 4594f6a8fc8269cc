package io.stresslab.stress.history;

import java.util.Optional;

/**
 * An idempotent "execute once per key": the first {@code execute} runs the side effect and returns a fresh value;
 * every later {@code execute} returns that same value. An INFO execute may have run it (with an unknown value, pinned
 * by the next OK execute) or not. An OK execute must return a value.
 */
public final class ExecuteOnceModel implements Model<ExecuteOnceModel.State> {
    /** {@code executed=false}: not yet run. {@code value=null} with {@code executed=true}: run, value unknown. */
    public record State(boolean executed, Value value) {
    }

    private static final State FRESH = new State(false, null);

    @Override
    public State init() {
        return FRESH;
    }

    @Override
    public void validate(Op op) {
        if (!op.name().equals("execute")) {
            throw new IllegalArgumentException("execute-once model has no operation '" + op.name()
                    + "' (it has execute)");
        }
        if (op.status() == Op.Status.OK && (op.output().isNil() || op.output().isUnknown())) {
            throw new IllegalArgumentException("execute completed ok without a value");
        }
    }

    @Override
    public Optional<State> step(State state, Op op) {
        if (!op.name().equals("execute")) {
            throw new IllegalArgumentException("execute-once model has no operation '" + op.name() + "'");
        }
        if (op.status() == Op.Status.INFO) {
            return Optional.of(state.executed() ? state : new State(true, null));
        }
        if (op.output().isNil()) {
            return Optional.empty();
        }
        if (!state.executed() || state.value() == null) {
            return Optional.of(new State(true, op.output()));
        }
        return state.value().equals(op.output()) ? Optional.of(state) : Optional.empty();
    }

    @Override
    public String describe(State s) {
        return !s.executed() ? "not executed" : s.value() == null ? "executed (value unknown)" : "executed -> "
                + s.value().show();
    }
}
