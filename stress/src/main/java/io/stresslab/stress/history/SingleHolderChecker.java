package io.stresslab.stress.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * At most one active holder per key at every instant (a token, a lease). An OK {@code grant} op makes its result the
 * holder of its key from the grant's completion; a {@code release} op naming that holder as its first argument ends it
 * at the release's invocation (by any worker: a rotation records release(old) then grant(new)). A holder never
 * released stays active to the end of the history — unlike {@link MutualExclusionChecker}, the holder is a record, not
 * a process, and outlives a killed worker. INFO grants are ignored (no false positive).
 */
public final class SingleHolderChecker implements HistoryChecker {
    private final String grantOp;
    private final String releaseOp;

    public SingleHolderChecker(String grantOp, String releaseOp) {
        this.grantOp = grantOp;
        this.releaseOp = releaseOp;
    }

    @Override
    public List<Violation> check(History history) {
        Map<String, Op> active = new HashMap<>(); // key|holder -> grant
        List<Intervals.Interval> intervals = new ArrayList<>();
        for (Op op : history.ops()) {
            if (op.name().equals(grantOp) && op.ok()) {
                active.put(op.key() + "|" + op.result(), op);
            } else if (op.name().equals(releaseOp) && !op.args().isEmpty()) {
                Op grant = active.remove(op.key() + "|" + op.arg(0));
                if (grant != null) {
                    intervals.add(new Intervals.Interval(op.key(), grant.result(), grant.completeNanos(),
                            op.invokeNanos(), grant, op));
                }
            }
        }
        for (Op grant : active.values()) {
            intervals.add(new Intervals.Interval(grant.key(), grant.result(), grant.completeNanos(), Long.MAX_VALUE,
                    grant, null));
        }
        return Intervals.overlaps("single-holder", intervals, 20);
    }
}
