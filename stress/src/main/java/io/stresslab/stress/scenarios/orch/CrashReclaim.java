package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.Database;
import io.stresslab.core.orch.DbLockManager;
import io.stresslab.core.orch.LockGrant;
import io.stresslab.core.orch.LockTimeoutException;
import io.stresslab.core.orch.ProtectedCounter;
import io.stresslab.core.orch.StaleTokenException;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.LatencyStats;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Watchdog;
import io.stresslab.stress.harness.WorkerPools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker takes res-0 (short lease), enters its critical section and dies: its pool is closed, nothing released.
 * {@value #HEALTHY} healthy workers, started after the crash (start-up recovery, then upkeep running), alternate
 * between res-0 and res-1, incrementing each resource's protected counter inside the lock. Workers 0 and 1 are two
 * threads of one process (one lock manager, one pool) that walk the resources in step, so they wait for each other
 * inside one manager (a manager's in-process queue and hand-over are exercised); worker 2 is a process of its own,
 * half a step behind. res-0 must be granted again within {@link #RECLAIM_DEADLINE}; no acquire may give up; no two
 * sections overlap; no update is lost.
 */
final class CrashReclaim {
    /** Generous, so that a healthy worker never gives up under CPU contention; a stuck one gives up after it. */
    static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long the checker waits for a crashed owner's resource to be granted again: five short leases (a correct
     * manager reclaims it one lease and one poll after the crash, ~300 ms here; the rest is slack for a loaded
     * machine). Past it the verdict is in: the healthy workers are stopped rather than left to wait out their
     * acquire timeouts.
     */
    static final Duration RECLAIM_DEADLINE = Duration.ofMillis(1500);
    static final Duration SHORT_LEASE = Duration.ofMillis(300);
    /** Healthy owners' lease: far longer than any critical section, so none expires while its owner works. */
    static final Duration LONG_LEASE = Duration.ofSeconds(30);
    static final List<String> RESOURCES = List.of("res-0", "res-1");
    static final int HEALTHY = 3;

    private CrashReclaim() {
    }

    /** The process a healthy worker runs in: workers 0 and 1 share process 0, worker 2 is process 1. */
    static int process(int worker) {
        return worker / 2;
    }

    /** What the run saw; nanos of the reclaim are after the crash. */
    record Seen(int planned, long sections, Watchdog.Outcome<Void> reclaim, long reclaimNanos, List<Long> waits,
                List<String> timeouts, List<String> fenced, long lost, CriticalSectionLog.Analysis history,
                Watchdog.Outcome<?> stall, long transientRetries) {
    }

    static Seen run(CheckContext ctx, Subject<DbLockManager> subject) throws Exception {
        try (WorkerPools pools = WorkerPools.open(ctx, HEALTHY + 1, 2)) {
            RESOURCES.forEach(new ProtectedCounter(pools.checker())::ensure);
            Database doomedDb = pools.worker(HEALTHY);
            LockGrant doomed = subject.create(Env.of(doomedDb, SHORT_LEASE)).acquire("res-0", "worker-doomed",
                    ACQUIRE_TIMEOUT);
            CriticalSectionLog.enter(doomedDb, doomed);
            new ProtectedCounter(doomedDb).read(doomed);
            pools.crash(HEALTHY);
            long crashedAt = System.nanoTime();
            Healthy h = new Healthy(ctx.ops(20));
            List<AutoCloseable> upkeep = new ArrayList<>();
            ExecutorService ex = Executors.newFixedThreadPool(HEALTHY, Threads.named("orch2-worker"));
            try {
                List<Future<?>> workers = new ArrayList<>();
                List<DbLockManager> managers = new ArrayList<>();
                for (int p = 0; p < process(HEALTHY - 1) + 1; p++) {
                    DbLockManager locks = subject.create(Env.of(pools.worker(p), LONG_LEASE));
                    locks.recoverAtStartup(); // a worker process that starts after the crash
                    upkeep.add(locks.startUpkeep());
                    managers.add(locks);
                }
                for (int w = 0; w < HEALTHY; w++) {
                    int me = w;
                    workers.add(ex.submit(() -> h.work(me, pools.worker(process(me)), managers.get(process(me)))));
                }
                Watchdog.Outcome<Void> reclaim = Watchdog.awaitCondition("res-0 granted again after its owner crashed",
                        RECLAIM_DEADLINE, () -> h.reclaimedAt.get() != 0);
                if (reclaim.timedOut()) { // reclaim-after-expiry is violated: stop the workers, judge what they did
                    ex.shutdownNow();
                    Watchdog.Outcome<Void> stopped = Watchdog.awaitCondition("healthy workers stop once the"
                            + " reclaim deadline has passed", ACQUIRE_TIMEOUT.multipliedBy(2), ex::isTerminated);
                    return h.seen(pools, reclaim, crashedAt, stopped.timedOut() ? stopped : null);
                }
                return h.seen(pools, reclaim, crashedAt, h.awaitAll(workers));
            } finally {
                ex.shutdownNow();
                for (AutoCloseable u : upkeep) {
                    u.close();
                }
            }
        }
    }

    /** The healthy workers' loop and what it records. */
    private static final class Healthy {
        final int iterations;
        final AtomicLong reclaimedAt = new AtomicLong();
        final AtomicLong sections = new AtomicLong();
        final ConcurrentLinkedQueue<Long> waits = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> timeouts = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> fenced = new ConcurrentLinkedQueue<>();

        Healthy(int iterations) {
            this.iterations = iterations;
        }

        /** Waits for every worker while they make progress; null, or the outcome of a stall. */
        Watchdog.Outcome<?> awaitAll(List<Future<?>> workers) throws Exception {
            for (Future<?> f : workers) {
                Watchdog.Outcome<?> o = Watchdog.awaitProgress("healthy workers", Duration.ofSeconds(120),
                        Duration.ofSeconds(10), sections::get, f::isDone);
                if (o.timedOut()) {
                    return o;
                }
                f.get();
            }
            return null;
        }

        Seen seen(WorkerPools pools, Watchdog.Outcome<Void> reclaim, long crashedAt, Watchdog.Outcome<?> stall) {
            ProtectedCounter audit = new ProtectedCounter(pools.checker());
            long lost = RESOURCES.stream().mapToLong(r -> audit.audit(r).lostUpdates()).sum();
            return new Seen(HEALTHY * iterations, sections.get(), reclaim,
                    reclaimedAt.get() == 0 ? 0 : reclaimedAt.get() - crashedAt, List.copyOf(waits),
                    List.copyOf(timeouts), List.copyOf(fenced), lost, CriticalSectionLog.analyse(pools.checker(), 5),
                    stall, pools.transientRetries());
        }

        void work(int me, Database db, DbLockManager locks) {
            ProtectedCounter counter = new ProtectedCounter(db);
            for (int i = 0; i < iterations; i++) {
                String res = RESOURCES.get((i + process(me)) % RESOURCES.size());
                long t0 = System.nanoTime();
                LockGrant g;
                try {
                    g = locks.acquire(res, "worker-" + me, ACQUIRE_TIMEOUT);
                } catch (LockTimeoutException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return; // stopped by the checker once the reclaim deadline had passed: not a timeout
                    }
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
        }
    }

    static Findings judge(Seen s) {
        return new Findings()
                .check(s.reclaim().timedOut(), "reclaim-after-expiry", () -> "res-0 still held by the crashed "
                        + "worker after " + s.reclaim().waited().toMillis() + " ms (its lease " + SHORT_LEASE.toMillis()
                        + " ms)")
                .check(!s.timeouts().isEmpty(), "reclaim-after-expiry", () -> s.timeouts().size() + " acquires gave "
                        + "up after " + ACQUIRE_TIMEOUT.toMillis() + " ms each, those workers stuck")
                .check(s.stall() != null, "reclaim-after-expiry", () -> "healthy workers stalled: "
                        + s.stall().describe())
                .check(s.history().overlaps() > 0, "exclusive", () -> s.history().overlaps()
                        + " overlapping critical sections")
                .check(s.lost() > 0, "exclusive", () -> s.lost() + " lost updates");
    }

    static Observation describe(Seen s, Findings f) {
        long slow = s.waits().stream().filter(n -> n > Duration.ofSeconds(1).toNanos()).count();
        LatencyStats waits = LatencyStats.ofNanos(s.waits());
        Observation o = f.observe(s.sections() + "/" + s.planned() + " critical sections by " + HEALTHY + " workers "
                        + "(two threads of one process and a process of its own) over " + RESOURCES.size()
                        + " resources after a lock holder crashed (lease "
                        + SHORT_LEASE.toMillis() + " ms); lock waits " + waits.brief() + ", " + slow + " over 1 s",
                "res-0 reclaimed " + LatencyStats.millis(s.reclaimNanos()) + " ms after the crash, no overlapping "
                        + "section, no lost update")
                .operations(s.waits().size())
                .metric("reclaimed", s.reclaim().completed())
                .metric("acquireTimeouts", s.timeouts().size())
                .metric("overlappingSections", s.history().overlaps())
                .metric("abandonedSections", s.history().abandoned())
                .metric("lostUpdates", s.lost())
                .metric("fencedWrites", s.fenced().size())
                .metric("lockWaitsOver1s", slow)
                .metric("maxAcquireWaitMillis", waits.max())
                .metric("transientRetries", s.transientRetries());
        o.metric("lockWaitLatency", waits.toMetric()).evidence("reclaim", s.reclaim().describe());
        if (s.reclaim().completed()) {
            o.metric("reclaimMs", LatencyStats.millis(s.reclaimNanos()));
        } else {
            o.evidence("threadDump", s.reclaim().dump().toEvidence("orch2-"));
        }
        if (!s.timeouts().isEmpty()) {
            o.evidence("acquireTimeouts", s.timeouts());
        }
        if (!s.history().examples().isEmpty()) {
            o.evidence("overlaps", s.history().examples());
        }
        return o;
    }
}
