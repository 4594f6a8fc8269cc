package io.stresslab.stress.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mutual exclusion: per resource key, the critical sections of different workers/threads never overlap. A thread is
 * certainly inside from the completion of its OK {@code enter} op to the invocation of its next {@code exit} op on the
 * same key (whatever that exit's outcome); with no exit (a killed worker) until the worker's last recorded event.
 * INFO enters are ignored (maybe entered, maybe not), so the checker reports no false positive.
 */
public final class MutualExclusionChecker implements HistoryChecker {
    private final String enterOp;
    private final String exitOp;

    public MutualExclusionChecker(String enterOp, String exitOp) {
        this.enterOp = enterOp;
        this.exitOp = exitOp;
    }

    @Override
    public List<Violation> check(History history) {
        Map<Integer, Long> lastEvent = history.lastEventNanos();
        Map<String, Op> inside = new HashMap<>(); // owner|key -> its OK enter
        List<Intervals.Interval> intervals = new ArrayList<>();
        for (Op op : history.ops()) {
            String owner = "w" + op.worker() + "/t" + op.thread();
            String slot = owner + "|" + op.key();
            if (op.name().equals(enterOp) && op.ok()) {
                inside.put(slot, op);
            } else if (op.name().equals(exitOp)) {
                Op enter = inside.remove(slot);
                if (enter != null) {
                    intervals.add(new Intervals.Interval(op.key(), owner, enter.completeNanos(), op.invokeNanos(),
                            enter, op));
                }
            }
        }
        for (Map.Entry<String, Op> open : inside.entrySet()) {
            Op enter = open.getValue();
            intervals.add(new Intervals.Interval(enter.key(), "w" + enter.worker() + "/t" + enter.thread(),
                    enter.completeNanos(), lastEvent.get(enter.worker()), enter, null));
        }
        return Intervals.overlaps("mutual-exclusion", intervals, 20);
    }
}
