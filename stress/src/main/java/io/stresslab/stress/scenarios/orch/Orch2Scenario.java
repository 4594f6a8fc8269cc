package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.Database;
import io.stresslab.core.orch.DbLockManager;
import io.stresslab.core.orch.InsertOnlyLockManager;
import io.stresslab.core.orch.LeaseLockManager;
import io.stresslab.core.orch.LockGrant;
import io.stresslab.core.orch.LockTimeoutException;
import io.stresslab.core.orch.ProtectedCounter;
import io.stresslab.core.orch.StaleTokenException;
import io.stresslab.core.orch.WorkClaimer;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.LatencyStats;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Watchdog;
import io.stresslab.stress.harness.WorkerPools;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * ORCH-2: database lock rows that never expire after a crash, and no fencing. The database checks run several
 * workers in this JVM, each with its OWN connection pool (stand-ins for worker processes: all correctness state is in
 * the database), against {@code lock_tracking}, a protected counter with a ledger, and a history of critical sections.
 * The multi-worker checks ({@link LeaseCampaign}) run real worker JVMs through the campaign engine, one of them killed
 * with kill -9 while it holds locks.
 */
public final class Orch2Scenario implements Scenario {
    static final String BUG = "ORCH-2";
    /** Generous, so that a healthy worker never gives up under CPU contention; a stuck one gives up after it. */
    static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(5);
    /** How long the checker waits for a crashed owner's resource to be granted again: ten short leases. */
    static final Duration RECLAIM_DEADLINE = Duration.ofSeconds(3);
    /** The crashing / pausing owner's lease: short, so a check waits for its expiry, never for minutes. */
    static final Duration SHORT_LEASE = Duration.ofMillis(300);
    /** Healthy owners' lease: far longer than any critical section, so none expires while its owner works. */
    static final Duration LONG_LEASE = Duration.ofSeconds(30);
    /** The before variant's start-up cleanup age, scaled down from the seed's 120 s. */
    static final Duration STALE_AGE = Duration.ofMillis(200);
    static final Duration SWEEP_PERIOD = Duration.ofMillis(100);
    static final List<String> RESOURCES = List.of("res-0", "res-1");
    static final int HEALTHY_WORKERS = 3;

    /**
     * A lock manager, the way its variant recovers locks of dead owners when a worker (re)starts, and what a running
     * worker does about them in the background.
     */
    record Variant(String name, Expect expect, LockFactory factory, Recovery recovery, Background background) {
    }

    @FunctionalInterface
    interface LockFactory {
        DbLockManager open(Database db, Duration lease);
    }

    /** What a worker can do about stale lock rows: start-up cleanup by age (before) or the lease sweep (after). */
    @FunctionalInterface
    interface Recovery {
        int run(Database db);
    }

    /** Background upkeep of a running worker; closing the handle stops it. */
    @FunctionalInterface
    interface Background {
        AutoCloseable start(Database db);
    }

    static final Variant INSERT_ONLY = new Variant("insert-only-lock", Expect.REPRODUCE,
            (db, lease) -> new InsertOnlyLockManager(db),
            db -> new InsertOnlyLockManager(db).cleanupStaleLocks(STALE_AGE),
            db -> () -> { }); // the seed cleans up at start-up only
    static final Variant LEASE = new Variant("lease-fencing-lock", Expect.HOLD, LeaseLockManager::new,
            db -> new LeaseLockManager(db, LONG_LEASE).sweepExpired(),
            db -> new LeaseLockManager(db, LONG_LEASE).startSweeper(SWEEP_PERIOD));

    /** The variant named {@code name} (a worker JVM gets it as a campaign parameter). */
    static Variant variant(String name) {
        for (Variant v : List.of(INSERT_ONLY, LEASE)) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown ORCH-2 variant '" + name + "'");
    }

    @Override
    public String bug() {
        return BUG;
    }


    @Override
    public List<CheckSpec> checks() {
        List<CheckSpec> specs = new ArrayList<>();
        for (Variant v : List.of(INSERT_ONLY, LEASE)) {
            specs.add(CheckSpec.onDatabases(BUG, v.name(), v.expect(), Tool.DATABASE, "crash-reclaim",
                    ctx -> crashReclaim(ctx, v)));
            specs.add(CheckSpec.onDatabases(BUG, v.name(), v.expect(), Tool.DATABASE, "paused-owner-write",
                    ctx -> pausedOwnerWrite(ctx, v)));
            specs.add(CheckSpec.onDatabases(BUG, v.name(), v.expect(), Tool.MULTI_WORKER, "worker-jvms-kill",
                    ctx -> LeaseCampaign.run(ctx, v)));
        }
        specs.add(CheckSpec.onDatabases(BUG, "for-update-claim", Expect.REPRODUCE, Tool.DATABASE,
                "claim-while-peer-holds", ctx -> claimWhilePeerHolds(ctx, WorkClaimer.Mode.WAIT)));
        specs.add(CheckSpec.onDatabases(BUG, "skip-locked-claim", Expect.HOLD, Tool.DATABASE,
                "claim-while-peer-holds", ctx -> claimWhilePeerHolds(ctx, WorkClaimer.Mode.SKIP_LOCKED)));
        return specs;
    }

    /**
     * A worker takes res-0 (short lease), enters its critical section and dies: its pool is closed, nothing released.
     * {@value #HEALTHY_WORKERS} healthy workers then alternate between res-0 and res-1, incrementing each resource's
     * protected counter inside the lock (after: with a lease sweeper running beside them). Before: res-0 stays held by
     * the dead worker; every acquire of it times out. After: res-0 is free again once the lease expired (taken over by
     * an acquire, or freed by the sweep); no two sections overlap; no update is lost.
     */
    private static Observation crashReclaim(CheckContext ctx, Variant v) throws Exception {
        int iterations = ctx.ops(20);
        try (WorkerPools pools = WorkerPools.open(ctx, HEALTHY_WORKERS + 1, 2)) {
            ProtectedCounter audit = new ProtectedCounter(pools.checker());
            RESOURCES.forEach(audit::ensure);
            Database doomedDb = pools.worker(HEALTHY_WORKERS);
            LockGrant doomed = v.factory().open(doomedDb, SHORT_LEASE).acquire("res-0", "worker-doomed",
                    ACQUIRE_TIMEOUT);
            CriticalSectionLog.enter(doomedDb, doomed);
            new ProtectedCounter(doomedDb).read(doomed);
            pools.crash(HEALTHY_WORKERS);
            long crashedAt = System.nanoTime();

            AtomicLong reclaimedAt = new AtomicLong();
            ConcurrentLinkedQueue<Long> waits = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> timeouts = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> fenced = new ConcurrentLinkedQueue<>();
            AtomicLong sections = new AtomicLong();
            ExecutorService ex = Executors.newFixedThreadPool(HEALTHY_WORKERS,
                    Threads.named("orch2-worker"));
            List<Future<?>> workers = new ArrayList<>();
            AutoCloseable upkeep = v.background().start(pools.worker(0));
            try {
                for (int w = 0; w < HEALTHY_WORKERS; w++) {
                    int me = w;
                    Database db = pools.worker(w);
                    DbLockManager locks = v.factory().open(db, LONG_LEASE);
                    ProtectedCounter counter = new ProtectedCounter(db);
                    workers.add(ex.submit(() -> {
                        for (int i = 0; i < iterations; i++) {
                            String res = RESOURCES.get((i + me) % RESOURCES.size());
                            long t0 = System.nanoTime();
                            LockGrant g;
                            try {
                                g = locks.acquire(res, "worker-" + me, ACQUIRE_TIMEOUT);
                            } catch (LockTimeoutException e) {
                                waits.add(System.nanoTime() - t0); // a wait that gave up counts at its length
                                timeouts.add(e.getMessage());
                                return; // this worker is stuck for good: the seed's "hung operation"
                            }
                            long now = System.nanoTime();
                            waits.add(now - t0);
                            if (res.equals("res-0")) {
                                reclaimedAt.compareAndSet(0, now);
                            }
                            long entered = CriticalSectionLog.enter(db, g);
                            try {
                                counter.write(g, counter.read(g) + 1);
                            } catch (StaleTokenException e) {
                                fenced.add(e.getMessage());
                            }
                            CriticalSectionLog.exit(db, g, entered);
                            locks.release(g);
                            sections.incrementAndGet();
                        }
                    }));
                }
                Watchdog.Outcome<Void> reclaim = Watchdog.awaitCondition("res-0 granted again after its owner crashed",
                        RECLAIM_DEADLINE, () -> reclaimedAt.get() != 0);
                for (Future<?> f : workers) {
                    Watchdog.Outcome<?> o = Watchdog.awaitProgress("healthy workers", Duration.ofSeconds(120),
                            Duration.ofSeconds(10), sections::get, f::isDone);
                    if (o.timedOut()) {
                        return Observation.bugObserved("workers stalled: " + o.describe())
                                .operations(sections.get()).evidence("threadDump", o.dump().toEvidence("orch2-"));
                    }
                    f.get();
                }
                return crashVerdict(pools.checker(), v, doomed, reclaim, crashedAt, reclaimedAt.get(), iterations,
                        sections.get(), waits, timeouts, fenced).metric("transientRetries", pools.transientRetries());
            } finally {
                ex.shutdownNow();
                upkeep.close();
            }
        }
    }

    private static Observation crashVerdict(Database checker, Variant v, LockGrant doomed,
                                            Watchdog.Outcome<Void> reclaim, long crashedAt, long reclaimedAt,
                                            int iterations, long sections, ConcurrentLinkedQueue<Long> waits,
                                            ConcurrentLinkedQueue<String> timeouts,
                                            ConcurrentLinkedQueue<String> fenced) {
        ProtectedCounter audit = new ProtectedCounter(checker);
        long lost = RESOURCES.stream().mapToLong(r -> audit.audit(r).lostUpdates()).sum();
        CriticalSectionLog.Analysis history = CriticalSectionLog.analyse(checker, 5);
        long slowWaits = waits.stream().filter(n -> n > Duration.ofSeconds(1).toNanos()).count();
        boolean reclaimed = reclaim.completed();
        boolean violated = !reclaimed || !timeouts.isEmpty() || lost > 0 || history.overlaps() > 0;
        String work = sections + "/" + (HEALTHY_WORKERS * iterations) + " critical sections by " + HEALTHY_WORKERS
                + " workers (own pools) over " + RESOURCES.size() + " resources";
        String summary = reclaimed
                ? "res-0 reclaimed " + LatencyStats.millis(reclaimedAt - crashedAt) + " ms after its owner crashed ("
                        + doomed.owner() + ", lease " + SHORT_LEASE.toMillis() + " ms); "
                : "res-0 still held by crashed " + doomed.owner() + " after " + reclaim.waited().toMillis()
                        + " ms: " + timeouts.size() + " acquires timed out (" + ACQUIRE_TIMEOUT.toMillis()
                        + " ms each), those workers stuck; ";
        summary += work + ", " + history.overlaps() + " overlapping sections, " + lost + " lost updates, "
                + slowWaits + "/" + waits.size() + " lock waits over 1 s (longest "
                + LatencyStats.ofNanos(waits).max() + " ms)";
        Observation o = Observation.of(violated, summary)
                .operations(waits.size()) // acquires, each ending in a grant or a timeout
                .metric("reclaimed", reclaimed)
                .metric("acquireTimeouts", timeouts.size())
                .metric("overlappingSections", history.overlaps())
                .metric("abandonedSections", history.abandoned())
                .metric("lostUpdates", lost)
                .metric("fencedWrites", fenced.size())
                .metric("lockWaitsOver1s", slowWaits);
        if (reclaimed) {
            o.metric("reclaimMs", LatencyStats.millis(reclaimedAt - crashedAt));
        }
        o.metric("lockWaitLatency", LatencyStats.ofNanos(waits).toMetric());
        o.metric("maxAcquireWaitMillis", LatencyStats.ofNanos(waits).max());
        o.evidence("res0Row", lockRow(checker, "res-0"));
        o.evidence("reclaim", reclaim.describe());
        if (!timeouts.isEmpty()) {
            o.evidence("acquireTimeouts", List.copyOf(timeouts));
        }
        if (!reclaimed) {
            o.evidence("threadDump", reclaim.dump().toEvidence("orch2-"));
        }
        if (!history.examples().isEmpty()) {
            o.evidence("overlaps", history.examples());
        }
        if (!fenced.isEmpty()) {
            o.evidence("fencedWrites", List.copyOf(fenced));
        }
        return o;
    }

    /**
     * Worker A holds a resource (short lease), reads the protected counter and pauses (a GC pause, a network stall).
     * Worker B, meanwhile, runs its variant's stale-lock recovery and acquires: before, a start-up cleanup deletes A's
     * row by age; after, A's lease has expired. B increments the counter. Then A wakes up and writes what it computed
     * before its pause. Before: accepted, B's increment is lost. After: rejected by A's older fencing token.
     */
    private static Observation pausedOwnerWrite(CheckContext ctx, Variant v) {
        int rounds = ctx.ops(3);
        try (WorkerPools pools = WorkerPools.open(ctx, 2, 2)) {
            Database dbA = pools.worker(0);
            Database dbB = pools.worker(1);
            DbLockManager locksA = v.factory().open(dbA, SHORT_LEASE);
            DbLockManager locksB = v.factory().open(dbB, LONG_LEASE);
            ProtectedCounter counterA = new ProtectedCounter(dbA);
            ProtectedCounter counterB = new ProtectedCounter(dbB);
            ProtectedCounter audit = new ProtectedCounter(pools.checker());
            List<String> lateWrites = new ArrayList<>();
            List<Long> takeovers = new ArrayList<>();
            int accepted = 0;
            long lost = 0;
            for (int r = 0; r < rounds; r++) {
                String res = "res-paused-" + r;
                audit.ensure(res);
                LockGrant a = locksA.acquire(res, "worker-A", ACQUIRE_TIMEOUT);
                long enteredA = CriticalSectionLog.enter(dbA, a);
                long seenByA = counterA.read(a);
                // A is paused from here on; B recovers the "stale" lock and takes the resource
                AtomicReference<LockGrant> b = new AtomicReference<>();
                long t0 = System.nanoTime();
                Watchdog.Outcome<Void> takeover = Watchdog.awaitCondition("worker-B takes " + res
                        + " while worker-A is paused", Duration.ofSeconds(5), () -> {
                            v.recovery().run(dbB);
                            locksB.tryAcquire(res, "worker-B").ifPresent(b::set);
                            return b.get() != null;
                        });
                if (takeover.timedOut()) {
                    throw new IllegalStateException(takeover.describe() + "; lock row: " + lockRow(dbB, res));
                }
                takeovers.add(System.nanoTime() - t0);
                long enteredB = CriticalSectionLog.enter(dbB, b.get());
                counterB.write(b.get(), counterB.read(b.get()) + 1);
                CriticalSectionLog.exit(dbB, b.get(), enteredB);
                locksB.release(b.get());
                // A wakes up and finishes the increment it began before its pause
                try {
                    counterA.write(a, seenByA + 1);
                    accepted++;
                    lateWrites.add(res + ": worker-A (token " + a.token() + ") wrote " + (seenByA + 1)
                            + " after worker-B (token " + b.get().token() + ") — ACCEPTED");
                } catch (StaleTokenException e) {
                    lateWrites.add(res + ": " + e.getMessage());
                }
                CriticalSectionLog.exit(dbA, a, enteredA);
                locksA.release(a);
                ProtectedCounter.Audit au = audit.audit(res);
                lost += au.lostUpdates();
            }
            CriticalSectionLog.Analysis history = CriticalSectionLog.analyse(pools.checker(), 3);
            boolean observed = accepted > 0 || lost > 0;
            Observation o = Observation.of(observed, accepted + "/" + rounds + " late writes of a paused former owner "
                            + "accepted after another worker took over (" + (v == INSERT_ONLY
                            ? "start-up cleanup of rows older than " + STALE_AGE.toMillis() + " ms"
                            : "lease of " + SHORT_LEASE.toMillis() + " ms expired") + "), " + lost
                            + " lost updates; " + history.overlaps() + " overlapping critical sections (the paused "
                            + "owner's)" + (observed ? "" : ", every late write rejected by its fencing token"))
                    .operations(3L * rounds)
                    .metric("rounds", rounds)
                    .metric("lateWritesAccepted", accepted)
                    .metric("lostUpdates", lost)
                    .metric("overlappingSections", history.overlaps())
                    .evidence("lateWrites", lateWrites)
                    .evidence("overlaps", history.examples());
            o.metric("takeoverLatency", LatencyStats.ofNanos(takeovers).toMetric());
            return o;
        }
    }

    /**
     * Worker 1 claims an item and holds its row lock (it is still processing); worker 2 claims next. Then three
     * workers drain the queue. SKIP LOCKED: worker 2 gets another item at once (not nothing), and every item is done
     * exactly once. Plain FOR UPDATE: worker 2 waits for worker 1's row.
     */
    private static Observation claimWhilePeerHolds(CheckContext ctx, WorkClaimer.Mode mode) throws Exception {
        int items = ctx.ops(60);
        int workers = HEALTHY_WORKERS;
        try (WorkerPools pools = WorkerPools.open(ctx, workers, 2)) {
            new WorkClaimer(pools.checker(), mode).seed(items);
            List<WorkClaimer> claimers = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                claimers.add(new WorkClaimer(pools.worker(w), mode));
            }
            Map<Long, Integer> processed = new ConcurrentHashMap<>();
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            ExecutorService ex = Executors.newFixedThreadPool(workers, Threads.named("orch2-claimer"));
            try {
                Future<OptionalLong> first = ex.submit(() -> claimers.get(0).claimOne("worker-1", id -> {
                    processed.merge(id, 1, Integer::sum);
                    holding.countDown();
                    try {
                        resume.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                if (Watchdog.awaitLatch("worker-1 holds a claimed item", Duration.ofSeconds(10), holding).timedOut()) {
                    throw new IllegalStateException("worker-1 never claimed an item");
                }
                Future<OptionalLong> second = ex.submit(() -> claimers.get(1).claimOne("worker-2",
                        id -> processed.merge(id, 1, Integer::sum)));
                Watchdog.Outcome<OptionalLong> peer = Watchdog.awaitFuture(
                        "worker-2 claims while worker-1 holds its row", Duration.ofSeconds(2), second);
                resume.countDown();
                Watchdog.Outcome<OptionalLong> firstDone = Watchdog.awaitFuture("worker-1 finishes",
                        Duration.ofSeconds(15), first);
                Watchdog.Outcome<OptionalLong> secondDone = Watchdog.awaitFuture("worker-2 finishes",
                        Duration.ofSeconds(15), second);
                if (firstDone.timedOut() || secondDone.timedOut()) {
                    throw new IllegalStateException(firstDone.describe() + "; " + secondDone.describe());
                }
                ConcurrentLinkedQueue<Long> claimTimes = new ConcurrentLinkedQueue<>();
                List<Future<?>> drains = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    WorkClaimer claimer = claimers.get(w);
                    String name = "worker-" + (w + 1);
                    drains.add(ex.submit(() -> {
                        while (true) {
                            long t0 = System.nanoTime();
                            if (claimer.claimOne(name, id -> processed.merge(id, 1, Integer::sum)).isEmpty()) {
                                return;
                            }
                            claimTimes.add(System.nanoTime() - t0);
                        }
                    }));
                }
                for (Future<?> f : drains) {
                    Watchdog.Outcome<?> o = Watchdog.awaitProgress("draining work items", Duration.ofSeconds(60),
                            Duration.ofSeconds(15), claimTimes::size, f::isDone);
                    if (o.timedOut()) {
                        return Observation.bugObserved("draining stalled: " + o.describe())
                                .evidence("threadDump", o.dump().toEvidence("orch2-"));
                    }
                    f.get();
                }
                long twice = processed.values().stream().filter(n -> n > 1).count();
                long pending = new WorkClaimer(pools.checker(), mode).pending();
                boolean waited = peer.timedOut();
                boolean missed = !waited && second.get().isEmpty();
                String peerLine = waited
                        ? "worker-2 waited for worker-1's locked row (no claim within " + peer.waited().toMillis()
                        + " ms)"
                        : missed ? "worker-2 found no claimable item while worker-1 held one of " + items
                        : "worker-2 claimed item " + second.get().getAsLong() + " in " + peer.waited().toMillis()
                        + " ms while worker-1 held item " + first.get().getAsLong();
                Observation o = Observation.of(waited || missed || twice > 0 || pending > 0, peerLine + "; " + items
                                + " items drained by " + workers + " workers (own pools): " + processed.size()
                                + " processed, " + twice + " twice, " + pending + " left")
                        .operations(items)
                        .metric("transientRetries", pools.transientRetries())
                        .metric("peerWaited", waited)
                        .metric("peerFoundNothing", missed)
                        .metric("peerClaimMs", peer.waited().toMillis())
                        .metric("processedTwice", twice)
                        .metric("pending", pending);
                o.metric("claimLatency", LatencyStats.ofNanos(claimTimes).toMetric());
                if (waited) {
                    o.evidence("threadDump", peer.dump().toEvidence("orch2-"));
                }
                return o;
            } finally {
                resume.countDown();
                ex.shutdownNow();
            }
        }
    }

    /** The lock row as the database has it, for evidence. */
    private static String lockRow(Database db, String resource) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT locked_by, locked_at, lease_expires_at, "
                    + "fencing_token, CURRENT_TIMESTAMP FROM lock_tracking WHERE resource_name = ?")) {
                ps.setString(1, resource);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? resource + " locked_by=" + rs.getString(1) + " locked_at=" + rs.getString(2)
                            + " lease_expires_at=" + rs.getString(3) + " fencing_token=" + rs.getLong(4)
                            + " (database now " + rs.getString(5) + ")" : resource + ": no row";
                }
            }
        });
    }
}
