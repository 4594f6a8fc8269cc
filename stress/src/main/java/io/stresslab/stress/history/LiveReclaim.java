package io.stresslab.stress.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reclaim after expiry, judged live (ORCH-2's {@code reclaim-after-expiry}): a lock a killed worker held must be
 * granted to the running workers once its lease has ended. The post-run judge can only say "never entered again
 * during the run"; live, a violation is certain once a running worker's {@code acquire} of the dead worker's resource
 * is refused ({@code fail}, result {@code held}) although it was invoked at least {@code lease + grace} after the kill
 * (so the dead owner's last renewal had expired), while no other worker was granted the resource since the dead
 * worker's grant (no OK or INFO acquire, none still in flight) — confirmed only after every thread of every running
 * worker has been read past the refusal, so a grant recorded late cannot explain it away.
 *
 * <p>Per worker: the resources it holds (acquire OK, not released). Per resource: its last grant. Per orphaned
 * resource: the dead owner and the first refusal after the deadline.
 */
public final class LiveReclaim implements LiveJudge {
    private record Orphan(int victim, long killedAt, Op grant) {
    }

    private final String acquireOp;
    private final String releaseOp;
    private final String refusal;
    private final long afterNanos;
    private final int workers;
    private final int threads;
    private final Map<Integer, Map<String, Op>> held = new HashMap<>(); // worker -> resource -> its grant
    private final Map<String, Op> lastGrant = new HashMap<>();
    private final Map<String, Orphan> orphans = new HashMap<>();
    private final Map<String, Op> refused = new HashMap<>(); // orphan -> first refusal past the deadline
    private final Map<Long, Op> pendingAcquires = new HashMap<>(); // acquires in flight
    private final Map<Long, Long> threadT = new HashMap<>(); // (worker, thread) -> last event time
    private final Set<Integer> ended = new HashSet<>();

    /**
     * @param refusal the result of a refused acquire ({@code held})
     * @param lease   the lock lease
     * @param grace   how long after the lease's end a refusal is still tolerated (clock granularity, retries)
     * @param workers how many workers record, {@code threads} threads each: a refusal is confirmed only once every
     *                one of those threads (of a worker still running) was read past it
     */
    public LiveReclaim(String acquireOp, String releaseOp, String refusal, Duration lease, Duration grace,
                       int workers, int threads) {
        this.workers = workers;
        this.threads = threads;
        this.acquireOp = acquireOp;
        this.releaseOp = releaseOp;
        this.refusal = refusal;
        this.afterNanos = lease.plus(grace).toNanos();
    }

    private static long slot(int worker, long idOrThread) {
        return ((long) worker << 40) ^ idOrThread;
    }

    @Override
    public HistoryChecker.Violation invoked(Op op) {
        if (op.name().equals(acquireOp)) {
            pendingAcquires.put(slot(op.worker(), op.id()), op);
        } else if (op.name().equals(releaseOp)) {
            Map<String, Op> mine = held.get(op.worker());
            if (mine != null) {
                mine.remove(op.key());
            }
        }
        return null;
    }

    @Override
    public HistoryChecker.Violation completed(Op op) {
        if (!op.name().equals(acquireOp)) {
            return null;
        }
        pendingAcquires.remove(slot(op.worker(), op.id()));
        Orphan o = orphans.get(op.key());
        if (op.status() != Op.Status.FAIL) {
            if (op.ok()) {
                held.computeIfAbsent(op.worker(), w -> new HashMap<>()).put(op.key(), op);
            }
            lastGrant.put(op.key(), op); // OK, or INFO: maybe granted
            if (o != null && op.worker() != o.victim()) {
                orphans.remove(op.key()); // reclaimed (or maybe): nothing certain
                refused.remove(op.key());
            }
        } else if (o != null && op.worker() != o.victim() && refusal.equals(op.result())
                && op.invokeNanos() - o.killedAt() >= afterNanos) {
            refused.putIfAbsent(op.key(), op);
        }
        return null;
    }

    @Override
    public HistoryChecker.Violation progressed(int worker, int thread, long t) {
        threadT.merge(slot(worker, thread), t, Math::max);
        return refused.isEmpty() ? null : confirm();
    }

    @Override
    public HistoryChecker.Violation workerEnded(int worker, long lastEventNanos, long killedAtNanos) {
        ended.add(worker);
        pendingAcquires.keySet().removeIf(s -> (s >>> 40) == worker);
        Map<String, Op> mine = held.remove(worker);
        if (killedAtNanos >= 0 && mine != null) {
            for (Map.Entry<String, Op> e : mine.entrySet()) {
                Op last = lastGrant.get(e.getKey());
                if (last == null || last.worker() == worker) { // nobody else was granted it since
                    orphans.put(e.getKey(), new Orphan(worker, killedAtNanos, e.getValue()));
                }
            }
        }
        return refused.isEmpty() ? null : confirm();
    }

    /** A refusal is certain once every running thread was read past it and no grant to another can explain it. */
    private HistoryChecker.Violation confirm() {
        for (Map.Entry<String, Op> e : refused.entrySet()) {
            Op r = e.getValue();
            boolean allPast = true;
            for (int w = 0; w < workers && allPast; w++) {
                for (int t = 0; t < threads && allPast && !ended.contains(w); t++) {
                    Long seen = threadT.get(slot(w, t));
                    allPast = seen != null && seen >= r.completeNanos();
                }
            }
            boolean inFlight = pendingAcquires.values().stream().anyMatch(p -> p.key().equals(e.getKey())
                    && p.invokeNanos() < r.completeNanos() && p.worker() != orphans.get(e.getKey()).victim());
            if (allPast && !inFlight) {
                Orphan o = orphans.get(e.getKey());
                List<Op> ops = new ArrayList<>(List.of(o.grant(), r));
                return new HistoryChecker.Violation("reclaim-after-expiry", e.getKey(), "held by killed worker "
                        + o.victim() + " and still refused to worker " + r.worker() + " "
                        + (r.invokeNanos() - o.killedAt()) / 1_000_000 + " ms after the kill (lease + grace "
                        + afterNanos / 1_000_000 + " ms), nobody granted it since", ops);
            }
        }
        return null;
    }

    @Override
    public int trackedKeys() {
        return lastGrant.size();
    }
}
