package io.stresslab.stress.history;

import java.util.List;

/**
 * An invariant over a merged history. Returns the violations found (empty when the invariant holds), each with the
 * offending operations. Generic ones: {@link MutualExclusionChecker}, {@link SingleHolderChecker},
 * {@link ExactlyOnceChecker}, {@link CommittedWritesChecker}; a scenario may write its own as a lambda.
 */
@FunctionalInterface
public interface HistoryChecker {
    List<Violation> check(History history);

    /** One broken invariant: which checker, on which key, what, and the operations that show it. */
    record Violation(String checker, String key, String message, List<Op> ops) {
        public Violation {
            ops = List.copyOf(ops);
        }

        public String describe() {
            return checker + " on " + key + ": " + message + " " + ops;
        }
    }
}
