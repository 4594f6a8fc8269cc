package io.stresslab.stress.history;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns the streamed events of a campaign's worker files into {@link LiveJudge} calls: pairs each completion with its
 * invocation (per worker; only the operations in flight are held), reports every thread's progress, and remembers
 * the first violation. Also counts operations and events, and each worker's last event time. Not thread-safe: one
 * coordinator thread feeds it.
 */
public final class LiveFeed {
    private final LiveJudge judge;
    private final Map<Long, HistoryEvent> inFlight = new HashMap<>(); // (worker << 40 | id) -> its invocation
    private final Map<Integer, Long> lastEvent = new HashMap<>();
    private HistoryChecker.Violation first;
    private long firstAtNanos;
    private long events;
    private long completedOps;
    private long invokedOps;

    public LiveFeed(LiveJudge judge) {
        this.judge = judge;
    }

    /** Feeds one event (in its file's order); returns the first violation once there is one (then keeps it). */
    public HistoryChecker.Violation accept(HistoryEvent e) {
        events++;
        lastEvent.merge(e.w(), e.t(), Math::max);
        long slot = ((long) e.w() << 40) ^ e.id();
        if (e.isInvoke()) {
            inFlight.put(slot, e);
            invokedOps++;
            note(judge.invoked(new Op(e.w(), e.p(), e.id(), e.op(), e.key(), e.args(), e.t(), Op.NEVER,
                    Op.Status.INFO, null)));
        } else {
            HistoryEvent inv = inFlight.remove(slot);
            if (inv != null) {
                completedOps++;
                Op.Status status = switch (e.type()) {
                    case "ok" -> Op.Status.OK;
                    case "fail" -> Op.Status.FAIL;
                    default -> Op.Status.INFO;
                };
                note(judge.completed(new Op(inv.w(), inv.p(), inv.id(), inv.op(), inv.key(), inv.args(), inv.t(),
                        e.t(), status, e.result())));
            }
        }
        note(judge.progressed(e.w(), e.p(), e.t()));
        return first;
    }

    /** Worker {@code worker} has ended and its file was read to the end (see {@link LiveJudge#workerEnded}). */
    public HistoryChecker.Violation workerEnded(int worker, long killedAtNanos) {
        inFlight.keySet().removeIf(slot -> (slot >>> 40) == worker); // never completed: INFO forever
        note(judge.workerEnded(worker, lastEvent.getOrDefault(worker, Long.MIN_VALUE), killedAtNanos));
        return first;
    }

    private void note(HistoryChecker.Violation v) {
        if (v != null && first == null) {
            first = v;
            firstAtNanos = HistoryClock.now();
        }
    }

    /** The first violation reported, or null. */
    public HistoryChecker.Violation violation() {
        return first;
    }

    /** When (on {@link HistoryClock}) the first violation was reported; 0 if none. */
    public long violationAtNanos() {
        return firstAtNanos;
    }

    public long events() {
        return events;
    }

    /** Operations invoked (as many as a merged history of what was read would hold). */
    public long invokedOps() {
        return invokedOps;
    }

    /** Operations whose completion was read. */
    public long completedOps() {
        return completedOps;
    }

    /** Operations invoked whose completion has not been read (yet). */
    public int inFlight() {
        return inFlight.size();
    }

    public LiveJudge judge() {
        return judge;
    }
}
