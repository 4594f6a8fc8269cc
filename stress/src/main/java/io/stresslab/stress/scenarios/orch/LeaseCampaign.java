package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.db.Database;
import io.stresslab.core.orch.DbLockManager;
import io.stresslab.core.orch.ProtectedCounter;
import io.stresslab.stress.campaign.CampaignResult;
import io.stresslab.stress.campaign.CampaignSpec;
import io.stresslab.stress.campaign.MultiWorker;
import io.stresslab.stress.campaign.WorkerOutcome;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.LatencyStats;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.history.History;
import io.stresslab.stress.history.HistoryChecker;
import io.stresslab.stress.history.LiveJudge;
import io.stresslab.stress.history.LiveReclaim;
import io.stresslab.stress.history.MutualExclusionChecker;
import io.stresslab.stress.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * ORCH-2 across worker JVMs ({@link LeaseWorkload}, 2 threads each; by default 3 workers, one killed with kill -9 at a
 * seeded moment in 5–25 % of the run, plus the run's other faults) on {@link MultiWorker}. Every worker thread holds
 * a lock at every instant after its first grant, so a killed worker certainly dies holding one. The judge, the same
 * for every lock manager, reads only the merged history and the protected counters: no two critical sections of a
 * resource overlap, no accepted increment is lost, and every resource a killed worker held is entered again by a
 * survivor before the run ends.
 */
final class LeaseCampaign {
    static final int THREADS = 2;
    static final Duration DURATION = Duration.ofSeconds(5);
    /**
     * How long after a dead owner's lease the live judge still tolerates a refusal: four polls
     * ({@link DbLockManager#MAX_POLL_MILLIS}; the contract allows one), for clock granularity and the refused call's
     * own way to the database. The lease itself is counted from the kill, when the owner's last renewal was already
     * made.
     */
    static final Duration RECLAIM_GRACE = Duration.ofMillis(4 * DbLockManager.MAX_POLL_MILLIS);

    private LeaseCampaign() {
    }

    /** The run's shape: more resources than threads (no deadlock even with a dead worker's), a lease of 15 % of it. */
    record Plan(int resources, long leaseMillis) {
        static Plan of(CampaignSpec spec) {
            return new Plan(spec.workers() * THREADS + THREADS + 1,
                    Math.max(200, Math.min(1000, spec.duration().toMillis() * 15 / 100)));
        }
    }

    static Observation run(CheckContext ctx, Subject<DbLockManager> subject) throws Exception {
        AtomicReference<Plan> plan = new AtomicReference<>();
        String name = subject.variant().replaceAll(".*[.$:]", ""); // a class's simple name: campaign names are short
        return MultiWorker.run(ctx, "orch2-" + name.substring(0, Math.min(40, name.length())), LeaseWorkload.class,
                THREADS, DURATION,
                (db, spec) -> {
                    Plan p = Plan.of(spec.build());
                    plan.set(p);
                    ProtectedCounter counter = new ProtectedCounter(db);
                    for (int i = 0; i < p.resources(); i++) {
                        counter.ensure(LeaseWorkload.resource(i));
                    }
                    spec.variant(subject.remoteId()).param(LeaseWorkload.RESOURCES, p.resources())
                            .param(LeaseWorkload.LEASE_MILLIS, p.leaseMillis())
                            .liveJudge(() -> liveJudge(p, spec.build().workers()))
                            .fitToLease(Duration.ofMillis(p.leaseMillis()))
                            // a kill is judged once its locks' lease and the grace have passed (a fifth of the run):
                            // a kill in the first quarter leaves that room three times over, and is seen sooner; its
                            // earliest is 250 ms after the go, time for the victim's threads to take their first grant
                            .killWindow(0.05, 0.25);
                    if (spec.ownersStall()) { // a paused or frozen owner stalls past its lease, most likely
                        spec.param(LeaseWorkload.SECTION_MILLIS, p.leaseMillis() / 10); // inside a section
                    }
                    return null;
                }, (db, r) -> describe(r, plan.get(), judge(db, r, plan.get())));
    }

    /**
     * The judge while the run goes on (it stops the run at the first certain violation, whatever the variant): a
     * killed worker's lock still refused to the survivors {@link #RECLAIM_GRACE} after its lease ended
     * ({@link LiveReclaim}; the post-run judge then finds it never entered again). The post-run judge below still
     * judges everything.
     * Exclusion is judged after the run only: an owner stalled past its lease (a pause, a freeze, or only a starved
     * CPU) overlaps its heir in real time, and whether that overlap counts depends on what became of its write (fenced
     * out, or applied before the heir read: {@link #withoutFencedSections}, {@link #untilTheirWrite}), which a live
     * judge deciding on lower bounds ({@code LiveMutualExclusion}) cannot wait for. A CI run on a loaded machine
     * showed it: ours was reported for a section whose write had committed before its owner was paused.
     */
    static LiveJudge liveJudge(Plan p, int workers) {
        return liveReclaim(Duration.ofMillis(p.leaseMillis()), workers, THREADS);
    }

    /**
     * The one reclaim judge of the lease workload's history ({@code acquire}, {@code release}, refusals {@code held}),
     * with the one grace, for the campaign and the soak alike.
     */
    static LiveReclaim liveReclaim(Duration lease, int workers, int threads) {
        return new LiveReclaim("acquire", "release", "held", lease, RECLAIM_GRACE, workers, threads);
    }

    /** What the judge saw: overlaps, the ledger audit, the killed workers' locks, and the findings. */
    record Judged(List<Integer> killed, List<HistoryChecker.Violation> overlaps, Counters counters,
                  List<String> killedLocks, Set<String> neverReclaimed, List<Long> reclaimNanos,
                  List<String> earlyTakeovers, Findings findings) {
    }

    static Judged judge(Database db, CampaignResult r, Plan plan) {
        History history = r.history();
        List<Integer> killed = r.workers().stream().filter(w -> w.status() == WorkerOutcome.Status.KILLED_BY_FAULT)
                .map(WorkerOutcome::worker).toList();
        List<HistoryChecker.Violation> overlaps = new MutualExclusionChecker("enter", "exit")
                .check(untilTheirWrite(withoutFencedSections(history)));
        List<String> early = earlyTakeovers(history, plan.leaseMillis());
        Map<String, List<Op>> byKey = history.byKey();
        Counters counters = Counters.of(db, history, byKey, plan.resources());
        List<String> lines = new ArrayList<>();
        Set<String> never = new TreeSet<>();
        List<Long> reclaims = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Map<Integer, Long> lastEvent = history.lastEventNanos();
        for (int victim : killed) {
            long killAt = lastEvent.getOrDefault(victim, 0L);
            for (String res : new TreeSet<>(heldAtEnd(history, victim))) {
                Op enter = byKey.getOrDefault(res, List.of()).stream().filter(op -> op.worker() != victim
                        && op.invokeNanos() > killAt && op.name().equals("enter") && op.ok()).findFirst().orElse(null);
                if (enter == null) {
                    never.add(res);
                    lines.add(res + " (held by worker " + victim + "): never entered again");
                } else {
                    List<Op> ops = byKey.getOrDefault(res, List.of());
                    Op grant = lastGrant(ops, victim);
                    Op refusal = grant == null ? null : refusedAfterExpiry(ops, grant, plan.leaseMillis());
                    if (refusal != null) {
                        refused.add(res + " (held by worker " + victim + "): " + refusal.describe() + " refused "
                                + LatencyStats.millis(refusal.invokeNanos() - grant.completeNanos())
                                + " ms after its grant");
                    }
                    reclaims.add(enter.completeNanos() - killAt);
                    lines.add(res + " (held by worker " + victim + "): entered by " + enter.describe() + " "
                            + LatencyStats.millis(enter.completeNanos() - killAt) + " ms after its last event");
                }
            }
        }
        Findings f = new Findings()
                .check(!overlaps.isEmpty(), "exclusive", () -> overlaps.size() + " overlapping critical sections")
                .check(counters.lost() > 0, "exclusive", () -> counters.lost() + " accepted increments lost")
                .check(!counters.unaccounted().isEmpty(), "exclusive", () -> "counters disagree with the ledger and "
                        + "history: " + counters.unaccounted())
                .check(!early.isEmpty(), "no-takeover-before-expiry", () -> early.size() + " grants taken over "
                        + "before their lease of " + plan.leaseMillis() + " ms ended, e.g. " + early.get(0))
                .check(!never.isEmpty(), "reclaim-after-expiry", () -> "kill -9 of worker " + killed + ": "
                        + never + " never entered again (lease " + plan.leaseMillis() + " ms)")
                .check(!refused.isEmpty(), "reclaim-after-expiry", () -> refused.size() + " locks of a dead owner"
                        + " refused to the first survivor that tried them one poll (" + DbLockManager.MAX_POLL_MILLIS
                        + " ms) after their lease of " + plan.leaseMillis() + " ms ended, e.g. " + refused.get(0));
        return new Judged(killed, overlaps, counters, lines, never, reclaims, early, f);
    }

    private static Observation describe(CampaignResult r, Plan plan, Judged j) {
        History history = r.history();
        LatencyStats waits = LatencyStats.ofNanos(history.named("enter").stream()
                .map(op -> Long.parseLong(op.arg(1)) * 1_000).toList());
        String kill = j.killed().isEmpty() ? "no worker killed (the run's faults have no kill): reclaim untested"
                : "kill -9 of worker " + j.killed() + ", " + j.reclaimNanos().size() + " of its locks reclaimed "
                + LatencyStats.ofNanos(j.reclaimNanos()).brief();
        Observation o = j.findings().observe(r.describe() + "; " + kill + "; " + j.counters().sections()
                        + " critical sections over " + plan.resources() + " resources, lock waits " + waits.brief(),
                "no overlapping section, no lost update (" + j.counters().accepted() + " accepted increments, "
                        + j.counters().fenced() + " reads/writes fenced out), every lock of a killed worker reclaimed"
                        + " (granted to the first survivor that tried it one poll after its lease)")
                .operations(history.size())
                .metric("resources", plan.resources())
                .metric("leaseMillis", plan.leaseMillis())
                .metric("criticalSections", j.counters().sections())
                .metric("overlappingSections", j.overlaps().size())
                .metric("lostUpdates", j.counters().lost())
                .metric("acceptedIncrements", j.counters().accepted())
                .metric("fencedOut", j.counters().fenced())
                .metric("neverReclaimed", j.neverReclaimed().size())
                .metric("maxAcquireWaitMillis", waits.max())
                .metric("lockWaitLatency", waits.toMetric());
        if (!j.reclaimNanos().isEmpty()) {
            o.metric("reclaimLatency", LatencyStats.ofNanos(j.reclaimNanos()).toMetric());
        }
        if (!j.killedLocks().isEmpty()) {
            o.evidence("killedWorkersLocks", j.killedLocks());
        }
        if (!j.overlaps().isEmpty()) {
            o.evidence("overlaps", j.overlaps().stream().limit(5).map(HistoryChecker.Violation::describe).toList());
        }
        return o;
    }

    /** One owner thread's sections of one resource: {@code worker/thread/resource}. */
    private static String sectionThread(Op op) {
        return op.worker() + "/" + op.thread() + "/" + op.key();
    }

    /**
     * The history with each critical section ending where its increment began, whatever became of that write: from
     * then on the owner's only effect on the protected state is the write itself, so an owner stalled after it (paused,
     * frozen, cut off, starved past its lease) overlaps its heir in real time without sharing that state. What the
     * write did is the ledger audit's to judge, from the database rather than the history: every write that applied
     * (acknowledged or of unknown outcome) left a ledger row, and one that applied after the heir read leaves two rows
     * of the same value and a lost increment. Two owners that both read before either wrote still overlap here. A CI
     * run showed why an unknown outcome counts too: ours was reported for an owner paused in its write, whose
     * connection was then ended, while its heir (who read the counter without that write) held the lock.
     */
    static History untilTheirWrite(History history) {
        Map<String, Long> wrote = new HashMap<>(); // section thread -> its first increment's invocation
        List<Op> ops = new ArrayList<>(history.ops());
        ops.sort(java.util.Comparator.comparingLong(Op::invokeNanos));
        List<Op> out = new ArrayList<>(ops.size());
        for (Op op : ops) {
            String thread = sectionThread(op);
            if (op.name().equals("enter")) {
                wrote.remove(thread);
            } else if (op.name().equals("increment")) {
                wrote.putIfAbsent(thread, op.invokeNanos());
            } else if (op.name().equals("exit") && wrote.containsKey(thread)) {
                long at = wrote.remove(thread);
                op = new Op(op.worker(), op.thread(), op.id(), op.name(), op.key(), op.input(), at, at, op.status(),
                        op.output());
            }
            out.add(op);
        }
        return new History(out);
    }

    /**
     * The history without the critical sections whose increment was refused for a stale fencing token: such an owner
     * was paused or cut off past its lease, and fencing kept its late write out of the protected state — its section
     * overlapping its heir's in real time is what fencing is for, not a breach of exclusion.
     */
    static History withoutFencedSections(History history) {
        Set<String> fenced = new HashSet<>();
        for (Op op : history.ops()) {
            if (op.name().equals("increment") && op.status() == Op.Status.FAIL && op.result() != null
                    && op.result().contains("fencing token")) {
                fenced.add(sectionThread(op) + "/" + op.arg(0));
            }
        }
        if (fenced.isEmpty()) {
            return history;
        }
        Set<String> dropThread = new HashSet<>();
        return new History(history.ops().stream().filter(op -> {
            String thread = sectionThread(op);
            if (op.name().equals("enter") && fenced.contains(thread + "/" + op.arg(0))) {
                dropThread.add(thread);
                return false;
            }
            return !(op.name().equals("exit") && dropThread.remove(thread));
        }).toList());
    }

    /**
     * Grants taken over before their lease ended (no-takeover-before-expiry): an OK acquire of a resource by another
     * owner that completed sooner than the lease after the previous grant's acquire was invoked (its lease starts no
     * earlier), while that grant had not been released (no release of it invoked before the takeover completed).
     * Grants are taken in the order their replies were recorded, except that a grant carrying a lower fencing token
     * than the last one seen was granted first: its owner stalled (paused, say) before recording the reply, so it is
     * judged as the grant the later one took over.
     */
    static List<String> earlyTakeovers(History history, long leaseMillis) {
        Map<String, Op> lastGrant = new HashMap<>();
        Map<String, Long> releasedAt = new HashMap<>(); // resource#token -> when its release was invoked
        List<Op> events = new ArrayList<>(history.ops().stream()
                .filter(op -> (op.name().equals("acquire") && op.ok()) || op.name().equals("release")).toList());
        events.sort(java.util.Comparator.comparingLong(op -> op.name().equals("release") ? op.invokeNanos()
                : op.completeNanos()));
        List<String> out = new ArrayList<>();
        for (Op op : events) {
            if (op.name().equals("release")) {
                releasedAt.putIfAbsent(op.key() + "#" + op.arg(0), op.invokeNanos());
                continue;
            }
            Op prev = lastGrant.get(op.key());
            boolean grantedFirst = prev != null && token(op) != Long.MIN_VALUE && token(prev) != Long.MIN_VALUE
                    && token(op) < token(prev);
            Op earlier = grantedFirst ? op : prev;
            Op takeover = grantedFirst ? prev : op;
            if (!grantedFirst) {
                lastGrant.put(op.key(), op);
            }
            if (earlier != null && earlier.worker() * 1000 + earlier.thread() != takeover.worker() * 1000
                    + takeover.thread()
                    && releasedAt.getOrDefault(earlier.key() + "#" + earlier.result(), Long.MAX_VALUE)
                    >= takeover.completeNanos()
                    && takeover.completeNanos() - earlier.invokeNanos() < leaseMillis * 1_000_000L) {
                out.add(op.key() + ": token " + earlier.result() + " (" + earlier.describe() + ") taken over by token "
                        + takeover.result() + " " + LatencyStats.millis(takeover.completeNanos()
                        - earlier.invokeNanos()) + " ms after its acquire began");
            }
        }
        return out;
    }

    /** A grant's fencing token, or {@link Long#MIN_VALUE} when its reply is not a number (it orders by time). */
    private static long token(Op grant) {
        try {
            return Long.parseLong(String.valueOf(grant.result()));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * Reclaim within the lease plus one poll: once a dead owner's lease has surely ended ({@code grant}, its last
     * grant of the resource, completed, plus the lease) and one poll ({@link DbLockManager#MAX_POLL_MILLIS}) has
     * passed, the first survivor that tries the resource must get it, unless another survivor got it first. Returns
     * that first try when it was refused as held and nobody else had been granted the resource by then; null when the
     * reclaim was in time, or when the first tries leave it open (an outcome unknown: that try may hold the lock now).
     */
    static Op refusedAfterExpiry(List<Op> opsOfResource, Op grant, long leaseMillis) {
        int deadWorker = grant.worker();
        long due = grant.completeNanos() + (leaseMillis + DbLockManager.MAX_POLL_MILLIS) * 1_000_000L;
        List<Op> tries = opsOfResource.stream().filter(op -> op.name().equals("acquire")
                && op.worker() != deadWorker && op.invokeNanos() > due)
                .sorted(java.util.Comparator.comparingLong(Op::invokeNanos)).toList();
        for (Op t : tries) {
            if (t.ok() || t.status() == Op.Status.INFO) {
                return null;
            }
            if (!"held".equals(t.result())) {
                continue; // failed for another reason (an injected 40001, a lost connection): not a refusal
            }
            // granted to another first, or maybe (an unknown outcome, e.g. a lost reply to its UPDATE)
            boolean takenFirst = opsOfResource.stream().anyMatch(op -> op.name().equals("acquire")
                    && (op.ok() || op.status() == Op.Status.INFO)
                    && op.worker() != deadWorker && op.completeNanos() > grant.completeNanos()
                    && op.invokeNanos() < t.completeNanos());
            return takenFirst ? null : t;
        }
        return null;
    }

    private static Op lastGrant(List<Op> opsOfResource, int worker) {
        Op last = null;
        for (Op op : opsOfResource) {
            if (op.worker() == worker && op.name().equals("acquire") && op.ok()
                    && (last == null || op.completeNanos() > last.completeNanos())) {
                last = op;
            }
        }
        return last;
    }

    /** The resources the worker certainly or maybe held when it died: granted and never released, per its history. */
    private static Set<String> heldAtEnd(History history, int worker) {
        Set<String> held = new HashSet<>();
        for (Op op : history.ops()) {
            if (op.worker() == worker && op.name().equals("acquire") && op.ok()) {
                held.add(op.key());
            } else if (op.worker() == worker && op.name().equals("release")) {
                held.remove(op.key());
            }
        }
        return held;
    }

    /**
     * The protected counters against the history: per resource, the counter must equal its ledger of accepted writes
     * (else an accepted increment was overwritten: lost), and the ledger must hold every OK increment of the history
     * and nothing beyond the OK and unknown (INFO) ones.
     */
    private record Counters(long sections, long accepted, long lost, long fenced, List<String> unaccounted) {
        static Counters of(Database db, History history, Map<String, List<Op>> byKey, int resources) {
            ProtectedCounter counter = new ProtectedCounter(db);
            long accepted = 0;
            long lost = 0;
            List<String> unaccounted = new ArrayList<>();
            for (int i = 0; i < resources; i++) {
                String res = LeaseWorkload.resource(i);
                ProtectedCounter.Audit a = counter.audit(res);
                List<Op> inc = byKey.getOrDefault(res, List.of()).stream()
                        .filter(op -> op.name().equals("increment")).toList();
                long ok = inc.stream().filter(Op::ok).count();
                long unknown = inc.stream().filter(op -> op.status() == Op.Status.INFO).count();
                accepted += a.acceptedWrites();
                lost += a.lostUpdates();
                if (a.acceptedWrites() < ok || a.acceptedWrites() > ok + unknown || a.distinctValues() != a
                        .acceptedWrites()) {
                    unaccounted.add(res + ": counter " + a.counter() + ", ledger " + a.acceptedWrites() + " rows ("
                            + a.distinctValues() + " distinct values), history " + ok + " OK + " + unknown
                            + " unknown increments");
                }
            }
            long sections = history.named("enter").stream().filter(Op::ok).count();
            long fenced = history.ops().stream().filter(op -> op.name().equals("enter")
                            || op.name().equals("increment"))
                    .filter(op -> op.status() == Op.Status.FAIL && op.result() != null
                            && op.result().contains("fencing token")).count();
            return new Counters(sections, accepted, lost, fenced, unaccounted);
        }
    }
}
