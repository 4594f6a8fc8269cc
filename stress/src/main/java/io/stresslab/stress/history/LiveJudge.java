package io.stresslab.stress.history;

import java.util.ArrayList;
import java.util.List;

/**
 * An invariant judged while a campaign runs, from its workers' streamed histories. A {@link LiveFeed} pairs the
 * events of each worker file (read in file order) into operations and calls the judge; the judge keeps bounded state
 * per key (never a whole-history list) and returns the first violation as soon as it is <b>certain</b> — the same
 * violation the matching post-run {@link HistoryChecker} finds in the merged history, never one it would not find.
 * Every method returns null while nothing is certain.
 *
 * <p>Order guarantees a judge may rely on: the events of one recording thread ({@code worker}, {@code thread}) arrive
 * in time order, so after {@link #progressed} nothing earlier than {@code t} can still arrive from that thread; events
 * of different threads or workers arrive in no particular order.
 */
public interface LiveJudge {
    /** {@code op} was invoked; its completion has not been read yet (status INFO, completion {@link Op#NEVER}). */
    default HistoryChecker.Violation invoked(Op op) {
        return null;
    }

    /** {@code op} completed (OK, FAIL or INFO). */
    default HistoryChecker.Violation completed(Op op) {
        return null;
    }

    /** An event of thread ({@code worker}, {@code thread}) at time {@code t} was read: its next events are later. */
    default HistoryChecker.Violation progressed(int worker, int thread, long t) {
        return null;
    }

    /**
     * Worker {@code worker} has ended and its file was read to the end: {@code lastEventNanos} is its last recorded
     * event (the end of whatever it still held, as the post-run checkers count it), {@code killedAtNanos} when the
     * coordinator killed it by a fault ({@code -1}: it exited, or was stopped for another reason).
     */
    default HistoryChecker.Violation workerEnded(int worker, long lastEventNanos, long killedAtNanos) {
        return null;
    }

    /** How many keys the judge holds state for (its memory is bounded by this times a per-key constant). */
    default int trackedKeys() {
        return 0;
    }

    /** Several judges as one: the first violation any of them reports. */
    static LiveJudge all(List<LiveJudge> judges) {
        List<LiveJudge> js = new ArrayList<>(judges);
        return new LiveJudge() {
            @Override
            public HistoryChecker.Violation invoked(Op op) {
                return first(j -> j.invoked(op));
            }

            @Override
            public HistoryChecker.Violation completed(Op op) {
                return first(j -> j.completed(op));
            }

            @Override
            public HistoryChecker.Violation progressed(int worker, int thread, long t) {
                return first(j -> j.progressed(worker, thread, t));
            }

            @Override
            public HistoryChecker.Violation workerEnded(int worker, long lastEventNanos, long killedAtNanos) {
                return first(j -> j.workerEnded(worker, lastEventNanos, killedAtNanos));
            }

            @Override
            public int trackedKeys() {
                return js.stream().mapToInt(LiveJudge::trackedKeys).sum();
            }

            private HistoryChecker.Violation first(java.util.function.Function<LiveJudge, HistoryChecker.Violation> f) {
                HistoryChecker.Violation found = null;
                for (LiveJudge j : js) {
                    HistoryChecker.Violation v = f.apply(j); // every judge sees every call, even after a violation
                    found = found == null ? v : found;
                }
                return found;
            }
        };
    }
}
