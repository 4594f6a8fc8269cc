package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.db.Database;
import io.stresslab.core.orch.ProtectedCounter;
import io.stresslab.stress.campaign.CampaignResult;
import io.stresslab.stress.campaign.CampaignSpec;
import io.stresslab.stress.campaign.Workload;
import io.stresslab.stress.history.HistoryChecker;
import io.stresslab.stress.history.LiveJudge;
import io.stresslab.stress.history.LiveReclaim;
import io.stresslab.stress.history.Op;
import io.stresslab.stress.soak.SoakWorkload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ORCH-2's after variant (lease + fencing lock manager) in {@code stresslab soak}: {@link LeaseWorkload} with
 * {@value #THREADS} threads per worker (the check runs 2) over twice as many resources as threads (fewer busy
 * resources: shorter hunts), lease 1 s. Live: reclaim after expiry; per resource, counts of OK and unknown
 * increments. Audit per resource: the protected counter against its ledger and those counts (exclusion of the
 * protected state: a lost or unaccounted increment).
 */
public final class LeaseSoak implements SoakWorkload {
    static final int THREADS = 4;
    static final Duration LEASE = Duration.ofSeconds(1);
    private int resources;
    private Increments increments;

    @Override
    public String id() {
        return "orch2";
    }

    @Override
    public String describe() {
        return "ORCH-2 lease-fencing-lock (LeaseWorkload, " + THREADS + " threads per worker)";
    }

    @Override
    public Class<? extends Workload> workload() {
        return LeaseWorkload.class;
    }

    @Override
    public int threadsPerWorker() {
        return THREADS;
    }

    @Override
    public void prepare(Database db, CampaignSpec.Builder spec) {
        resources = spec.build().workers() * THREADS * 2 + 1;
        ProtectedCounter counter = new ProtectedCounter(db);
        for (int i = 0; i < resources; i++) {
            counter.ensure(LeaseWorkload.resource(i));
        }
        spec.variant("variant:lease-fencing-lock").param(LeaseWorkload.RESOURCES, resources)
                .param(LeaseWorkload.LEASE_MILLIS, LEASE.toMillis()).fitToLease(LEASE);
    }

    @Override
    public LiveJudge judge(int workers) {
        increments = new Increments();
        LiveReclaim reclaim = LeaseCampaign.liveReclaim(LEASE, workers, THREADS);
        // an owner stalled past its lease (paused, frozen, or only starved of CPU) overlaps its heir in real time
        // until fencing refuses its late write, or after its write already applied: the stream cannot know which at
        // the overlap, so exclusion rests on the per-resource ledger audit (LeaseCampaign.liveJudge says the same)
        return LiveJudge.all(List.of(reclaim, increments));
    }

    /**
     * Per resource: OK and unknown (INFO) increments seen. An increment invoked by a worker that is killed before it
     * completes is unknown too (it may have committed): its in-flight increments are counted when the worker ends.
     */
    static final class Increments implements LiveJudge {
        final Map<String, long[]> counts = new HashMap<>();
        /** Increments in flight: worker -> op id -> resource. */
        private final Map<Integer, Map<Long, String>> inFlight = new HashMap<>();

        @Override
        public HistoryChecker.Violation invoked(Op op) {
            if (op.name().equals("increment")) {
                inFlight.computeIfAbsent(op.worker(), w -> new HashMap<>()).put(op.id(), op.key());
            }
            return null;
        }

        @Override
        public HistoryChecker.Violation completed(Op op) {
            if (op.name().equals("increment")) {
                Map<Long, String> mine = inFlight.get(op.worker());
                if (mine != null) {
                    mine.remove(op.id());
                }
                if (op.status() != Op.Status.FAIL) {
                    counts.computeIfAbsent(op.key(), k -> new long[2])[op.ok() ? 0 : 1]++;
                }
            }
            return null;
        }

        @Override
        public HistoryChecker.Violation workerEnded(int worker, long lastEventNanos, long killedAtNanos) {
            Map<Long, String> left = inFlight.remove(worker);
            if (left != null) {
                left.values().forEach(key -> counts.computeIfAbsent(key, k -> new long[2])[1]++);
            }
            return null;
        }

        @Override
        public int trackedKeys() {
            return counts.size();
        }
    }

    @Override
    public List<String> audit(Database db, CampaignResult r, LiveJudge judge) {
        Increments inc = increments;
        ProtectedCounter counter = new ProtectedCounter(db);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < resources; i++) {
            String res = LeaseWorkload.resource(i);
            ProtectedCounter.Audit a = counter.audit(res);
            long[] c = inc == null ? null : inc.counts.getOrDefault(res, new long[2]);
            boolean ledgerOff = a.lostUpdates() != 0 || a.distinctValues() != a.acceptedWrites();
            boolean historyOff = c != null && !r.stoppedAtViolation()
                    && (a.acceptedWrites() < c[0] || a.acceptedWrites() > c[0] + c[1]);
            if (ledgerOff || historyOff) {
                out.add("exclusive on " + res + ": counter " + a.counter() + ", ledger " + a.acceptedWrites()
                        + " rows (" + a.distinctValues() + " distinct values)"
                        + (c == null ? "" : ", history " + c[0] + " OK + " + c[1] + " unknown increments"));
            }
        }
        return out;
    }
}
