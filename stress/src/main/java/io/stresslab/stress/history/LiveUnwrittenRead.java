package io.stresslab.stress.history;

import java.util.List;
import java.util.function.Predicate;

/**
 * The part of a register's linearizability that is certain from one read: an OK {@code readOp} returned a value that
 * no write of the workload could have written ({@code writable} says which values a write can carry, e.g. a whole
 * tool set of one caller). A register only ever holds its initial value or a written one, so such a read makes the
 * key's history non-linearizable — the post-run {@link LinearizabilityChecker} rejects the same history. Holds no
 * state: the judgement needs no other operation.
 */
public final class LiveUnwrittenRead implements LiveJudge {
    private final String checker;
    private final String readOp;
    private final Predicate<String> writable;

    /** {@code checker} names the obligation in the violation (the finding the post-run judge reports). */
    public LiveUnwrittenRead(String checker, String readOp, Predicate<String> writable) {
        this.checker = checker;
        this.readOp = readOp;
        this.writable = writable;
    }

    @Override
    public HistoryChecker.Violation completed(Op op) {
        if (!op.ok() || !op.name().equals(readOp) || writable.test(String.valueOf(op.result()))) {
            return null;
        }
        return new HistoryChecker.Violation(checker, op.key(), "read {" + op.result() + "}, a value no write"
                + " could have written", List.of(op));
    }
}
