package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.orch.ProtectedCounter;
import io.stresslab.stress.campaign.Campaign;
import io.stresslab.stress.campaign.CampaignResult;
import io.stresslab.stress.campaign.CampaignSpec;
import io.stresslab.stress.campaign.WorkerOutcome;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.LatencyStats;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.history.History;
import io.stresslab.stress.history.HistoryChecker;
import io.stresslab.stress.history.MutualExclusionChecker;
import io.stresslab.stress.history.Op;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * ORCH-2 across worker JVMs ({@link LeaseWorkload}, 2 threads each; by default 3 workers, one killed with kill -9 at a
 * seeded moment in 20–70 % of the run, plus the run's other faults, see {@link Campaign#builderFor}). Every worker
 * thread holds a lock at every instant after its first grant, so the killed worker certainly dies holding one.
 *
 * <p>Before (insert-only lock): the killed worker's lock rows are still in {@code lock_tracking} after the run — the
 * resource is blocked for good, which the survivors' refused acquires and the absence of any later enter confirm.
 * After (lease with fencing): no two critical sections of one resource overlap across the JVMs, no accepted increment
 * is lost, and every resource the killed worker held is entered again by a survivor (the reclaim time is a metric).
 */
final class LeaseCampaign {
    static final int THREADS = 2;
    static final Duration DURATION = Duration.ofSeconds(5);
    static final long SLOW_WAIT_NANOS = Duration.ofSeconds(1).toNanos();

    private LeaseCampaign() {
    }

    static Observation run(CheckContext ctx, Orch2Scenario.Variant v) {
        DbConfig cfg = Campaign.sharedConfig(ctx, "orch2_" + v.name());
        try (Database db = Database.open(cfg)) {
            CampaignSpec.Builder b = Campaign.builderFor(ctx, "orch2-" + v.name(), LeaseWorkload.class, cfg, DURATION)
                    .threadsPerWorker(THREADS);
            CampaignSpec plain = b.build();
            // more resources than threads, even with every thread of the killed worker stuck on two: no deadlock
            int resources = plain.workers() * THREADS + THREADS + 1;
            // a lease of 15 % of the run (0.2–1 s): a kill at 70 % is reclaimed well before the run ends
            long leaseMillis = Math.max(200, Math.min(1000, plain.duration().toMillis() * 15 / 100));
            ProtectedCounter counter = new ProtectedCounter(db);
            for (int i = 0; i < resources; i++) {
                counter.ensure(LeaseWorkload.resource(i));
            }
            CampaignResult r = Campaign.run(b.param(LeaseWorkload.VARIANT, v.name())
                    .param(LeaseWorkload.RESOURCES, Integer.toString(resources))
                    .param(LeaseWorkload.LEASE_MILLIS, Long.toString(leaseMillis))
                    .build());
            if (!r.allWorkersHealthy()) {
                throw new IllegalStateException("campaign workers failed: " + String.join("; ", r.unhealthyWorkers()));
            }
            List<Integer> killed = r.workers().stream()
                    .filter(w -> w.status() == WorkerOutcome.Status.KILLED_BY_FAULT).map(WorkerOutcome::worker)
                    .toList();
            if (v.expect() == Expect.REPRODUCE && killed.isEmpty()) {
                throw new IllegalStateException("no worker was killed: this check needs the kill fault and at "
                        + "least 2 workers (--faults kill --workers 2+)");
            }
            return verdict(db, v, r, killed, resources, leaseMillis);
        }
    }

    private static Observation verdict(Database db, Orch2Scenario.Variant v, CampaignResult r, List<Integer> killed,
                                       int resources, long leaseMillis) {
        History history = r.history();
        boolean leased = v.factory().open(db, Duration.ofSeconds(1)).issuesFencingTokens();
        List<HistoryChecker.Violation> overlaps = new MutualExclusionChecker("enter", "exit").check(history);
        Map<String, List<Op>> byKey = history.byKey();
        Counters counters = Counters.of(db, history, byKey, resources);
        List<Long> waits = history.named("enter").stream()
                .map(op -> Long.parseLong(op.arg(1)) * 1_000).toList();
        long slowWaits = waits.stream().filter(n -> n > SLOW_WAIT_NANOS).count();
        LatencyStats waitStats = LatencyStats.ofNanos(waits);

        List<String> stuck = new ArrayList<>();
        List<String> reclaims = new ArrayList<>();
        List<Long> reclaimNanos = new ArrayList<>();
        Set<String> neverReclaimed = new TreeSet<>();
        long refusedAfterKill = 0;
        long entersAfterKill = 0;
        Map<Integer, Long> lastEvent = history.lastEventNanos();
        for (int victim : killed) {
            long killAt = lastEvent.getOrDefault(victim, 0L);
            Map<String, String> rows = blockingRowsOwnedBy(db, victim, leased);
            Set<String> held = new TreeSet<>(heldAtEnd(history, victim));
            held.addAll(rows.keySet());
            rows.values().forEach(stuck::add);
            for (String res : held) {
                List<Op> later = byKey.getOrDefault(res, List.of()).stream()
                        .filter(op -> op.worker() != victim && op.invokeNanos() > killAt).toList();
                long refused = later.stream().filter(op -> op.name().equals("acquire")
                        && op.status() == Op.Status.FAIL).count();
                Op enter = later.stream().filter(op -> op.name().equals("enter") && op.ok()).findFirst()
                        .orElse(null);
                refusedAfterKill += refused;
                entersAfterKill += later.stream().filter(op -> op.name().equals("enter") && op.ok()).count();
                if (enter == null) {
                    neverReclaimed.add(res);
                    reclaims.add(res + " (held by worker " + victim + "): never entered again, " + refused
                            + " acquires refused after the kill");
                } else {
                    long n = enter.completeNanos() - killAt;
                    reclaimNanos.add(n);
                    reclaims.add(res + " (held by worker " + victim + "): entered by " + enter.describe() + " "
                            + LatencyStats.millis(n) + " ms after the worker's last event, " + refused
                            + " acquires refused before");
                }
            }
        }

        boolean before = v.expect() == Expect.REPRODUCE;
        boolean observed = !overlaps.isEmpty() || counters.lost() > 0 || !counters.unaccounted().isEmpty()
                || (before ? !stuck.isEmpty() : !neverReclaimed.isEmpty());
        String work = counters.sections() + " critical sections by " + r.workers().size() + " worker JVMs × "
                + THREADS + " threads over " + resources + " resources, " + overlaps.size()
                + " overlapping, " + counters.lost() + " lost updates (" + counters.accepted()
                + " accepted increments, " + counters.fenced() + " reads/writes fenced out)";
        String waitLine = "lock waits " + waitStats.brief() + ", " + slowWaits + " over 1 s";
        String killLine = killed.isEmpty() ? "no worker killed (the run's faults have no kill)"
                : before ? (stuck.isEmpty() ? "kill -9 of worker " + killed + " left no lock row behind"
                        : "kill -9 of worker " + killed + " left " + stuck.size() + " lock rows behind for good: "
                        + refusedAfterKill + " acquires of them refused after the kill, " + entersAfterKill
                        + " enters")
                : neverReclaimed.isEmpty() ? "kill -9 of worker " + killed + ": its " + reclaimNanos.size()
                        + " leases reclaimed " + LatencyStats.ofNanos(reclaimNanos).brief() + " after the kill "
                        + "(lease " + leaseMillis + " ms)"
                        : "kill -9 of worker " + killed + ": " + neverReclaimed + " never entered again";
        Observation o = r.addTo(Observation.of(observed, killLine + "; " + work + "; " + waitLine))
                .operations(history.size())
                .metric("resources", resources)
                .metric("leaseMillis", leaseMillis)
                .metric("criticalSections", counters.sections())
                .metric("overlappingSections", overlaps.size())
                .metric("lostUpdates", counters.lost())
                .metric("acceptedIncrements", counters.accepted())
                .metric("fencedOut", counters.fenced())
                .metric("stuckLockRows", stuck.size())
                .metric("refusedAcquiresAfterKill", refusedAfterKill)
                .metric("entersAfterKill", entersAfterKill)
                .metric("lockWaitsOver1s", slowWaits)
                .metric("lockWaitLatency", waitStats.toMetric())
                .metric("maxAcquireWaitMillis", waitStats.max());
        if (!reclaimNanos.isEmpty()) {
            o.metric("reclaimLatency", LatencyStats.ofNanos(reclaimNanos).toMetric());
        }
        if (!stuck.isEmpty()) {
            o.evidence("stuckLockRows", stuck);
        }
        if (!reclaims.isEmpty()) {
            o.evidence("killedWorkersLocks", reclaims);
        }
        if (!overlaps.isEmpty()) {
            o.evidence("overlaps", overlaps.stream().limit(5).map(HistoryChecker.Violation::describe).toList());
        }
        if (!counters.unaccounted().isEmpty()) {
            o.evidence("counters", counters.unaccounted());
        }
        return o;
    }

    /** The resources the worker certainly or maybe held when it died: granted and never released, per its history. */
    private static Set<String> heldAtEnd(History history, int worker) {
        Set<String> held = new HashSet<>();
        for (Op op : history.ops()) {
            if (op.worker() != worker) {
                continue;
            }
            if (op.name().equals("acquire") && op.ok()) {
                held.add(op.key());
            } else if (op.name().equals("release")) {
                held.remove(op.key());
            }
        }
        return held;
    }

    /**
     * {@code lock_tracking} rows that still block their resource for a thread of {@code worker}, as evidence lines by
     * resource: every row of it for an insert-only lock (released rows are deleted); for a lease, a row whose lease
     * has not expired (a released or swept row keeps its last owner's name with a NULL lease).
     */
    private static Map<String, String> blockingRowsOwnedBy(Database db, int worker, boolean leased) {
        return db.inTransaction(c -> {
            Map<String, String> rows = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT resource_name, locked_by, locked_at, "
                    + "lease_expires_at, fencing_token, CURRENT_TIMESTAMP, CASE WHEN lease_expires_at > "
                    + "CURRENT_TIMESTAMP THEN 1 ELSE 0 END FROM lock_tracking ORDER BY resource_name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (LeaseWorkload.ownedBy(rs.getString(2), worker) && (!leased || rs.getInt(7) == 1)) {
                        rows.put(rs.getString(1), rs.getString(1) + " locked_by=" + rs.getString(2) + " locked_at="
                                + rs.getString(3) + " lease_expires_at=" + rs.getString(4) + " fencing_token="
                                + rs.getLong(5) + " (database now " + rs.getString(6) + ")");
                    }
                }
            }
            return rows;
        });
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
