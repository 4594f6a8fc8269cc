package io.stresslab.stress.history;

import java.util.List;
import java.util.function.Predicate;

/**
 * Nothing committed is lost: every OK {@code writeOp} must be present in the final state, which the scenario reads
 * after the campaign and hands in as {@code presentInFinalState}. INFO writes may or may not be present; FAIL writes
 * are not checked.
 */
public final class CommittedWritesChecker implements HistoryChecker {
    private final String writeOp;
    private final Predicate<Op> presentInFinalState;

    public CommittedWritesChecker(String writeOp, Predicate<Op> presentInFinalState) {
        this.writeOp = writeOp;
        this.presentInFinalState = presentInFinalState;
    }

    @Override
    public List<Violation> check(History history) {
        List<Op> lost = history.named(writeOp).stream().filter(Op::ok).filter(presentInFinalState.negate()).toList();
        return lost.isEmpty() ? List.of() : List.of(new Violation("committed-writes", lost.get(0).key(),
                lost.size() + " acknowledged " + writeOp + " ops missing from the final state",
                lost.subList(0, Math.min(10, lost.size()))));
    }
}
