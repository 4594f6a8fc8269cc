package io.stresslab.stress.history;

import java.util.Optional;

/**
 * A sequential specification for {@link LinearizabilityChecker}: states of type {@code S} (non-null, with value
 * {@code equals}/{@code hashCode}, immutable) and one step per operation.
 */
public interface Model<S> {
    S init();

    /**
     * The state after applying {@code op} to {@code state}, or empty if {@code op}'s recorded result is impossible
     * there. For an {@link Op.Status#INFO} op the output is {@link Value#UNKNOWN}: apply its effect and check no
     * output. Only OK and INFO ops are ever stepped; FAIL ops had no effect and are left out.
     */
    Optional<S> step(S state, Op op);

    /**
     * Rejects an operation this model cannot read — an unknown operation name, a missing argument, an output of the
     * wrong kind (e.g. a cas result that is not true/false) — with an {@link IllegalArgumentException} saying why.
     * The checker calls it for every op before searching, so a malformed history is an error, never a silent
     * verdict.
     */
    default void validate(Op op) {
    }

    /** True for ops that never change the state (reads): an INFO one constrains nothing and is left out. */
    default boolean isReadOnly(Op op) {
        return false;
    }

    /** How a state appears in an explanation. */
    default String describe(S state) {
        return String.valueOf(state);
    }

    /** A rough size of one state in bytes, for the search's memory bound. */
    default long stateBytes(S state) {
        return 48;
    }
}
