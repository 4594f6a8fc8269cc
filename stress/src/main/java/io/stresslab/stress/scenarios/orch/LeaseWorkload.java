package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.db.CommitOutcomeUnknownException;
import io.stresslab.core.db.DatabaseException;
import io.stresslab.core.db.RetryPolicy;
import io.stresslab.core.orch.DbLockManager;
import io.stresslab.core.orch.LockGrant;
import io.stresslab.core.orch.ProtectedCounter;
import io.stresslab.core.orch.StaleTokenException;
import io.stresslab.stress.campaign.WorkerContext;
import io.stresslab.stress.campaign.Workload;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.history.HistoryClock;
import io.stresslab.stress.history.HistoryRecorder;
import io.stresslab.stress.scenarios.Scenarios;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * ORCH-2 across worker JVMs: every worker thread moves from resource to resource of a shared {@code lock_tracking}
 * table, doing one fenced read-modify-write increment of the resource's {@link ProtectedCounter} inside each critical
 * section. Parameters: the variant (the lock manager's {@code Subject.remoteId()}), {@code resources},
 * {@code leaseMillis}. A worker calls the manager's start-up recovery first and keeps its upkeep running.
 *
 * <p>Hand-over-hand: a thread keeps its current resource until it holds the next one, which it hunts among all the
 * others (a random one at a time, polling with growing pauses), and releases it only after the next one's critical
 * section (which starts right after the grant, while the lease is fresh); so once a thread has its first grant it
 * holds at least one lock at every instant. A {@code kill -9} of a worker at any moment of the run therefore kills a
 * lock holder, and the insert-only variant's reproduction does not depend on when the kill lands. Hunting for any free
 * resource (never waiting for one particular) cannot deadlock while there are more resources than threads.
 *
 * <p>History, per cycle: {@code acquire(r)} for every attempt (ok → fencing token, fail → held by someone else,
 * info → outcome unknown), then {@code enter(r, token, waitMicros)} (the wait from the start of the hunt to the grant;
 * completed by the fenced read), {@code increment(r, token, value)} (ok → written; fail → rejected, e.g. a stale
 * fencing token; info → commit outcome unknown), {@code exit(r)}, and {@code release(prev)}.
 */
public final class LeaseWorkload implements Workload {
    static final String RESOURCES = "resources";
    static final String LEASE_MILLIS = "leaseMillis";
    /**
     * Work inside each critical section between the fenced read and the fenced write (0: none). A campaign with a
     * pause or a freeze sets it, so that a stalled worker is most likely stalled inside a section and writes late when
     * it wakes or its connections flow again.
     */
    static final String SECTION_MILLIS = "sectionMillis";
    /** A hunt that finds nothing free for this long gives up (recorded as an enter-less cycle); generous. */
    static final Duration HUNT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * A lock holder's transactions retry transient failures quickly: a whole backoff (at most ~0.3 s) stays well under
     * the lease, so no holder outlives its lease by retrying. (The seed's 0.1/0.3/0.6 s backoff would let one unlucky
     * transaction outlast a sub-second lease.)
     */
    static final RetryPolicy HOLDER_RETRIES = new RetryPolicy(6, Duration.ofMillis(10), 2, Duration.ofMillis(80));

    @Override
    public void run(WorkerContext ctx) throws Exception {
        int resources = ctx.intParam(RESOURCES, 8);
        long work = ctx.longParam(SECTION_MILLIS, 0);
        Duration lease = ctx.millisParam(LEASE_MILLIS, Duration.ofSeconds(1));
        ctx.database().withRetryPolicy(HOLDER_RETRIES);
        DbLockManager locks = Scenarios.remote(Orch2Scenario.BUG, DbLockManager.class,
                ctx.variant("variant:lease-fencing-lock")).create(Env.of(ctx.database(), ctx.clock(), lease));
        ProtectedCounter counter = new ProtectedCounter(ctx.database());
        locks.recoverAtStartup();
        try (AutoCloseable upkeep = locks.startUpkeep()) {
            ctx.runThreads(Duration.ofSeconds(30), t -> {
                String owner = owner(ctx.worker(), t);
                SplittableRandom rnd = ctx.random(t);
                HistoryRecorder h = ctx.history();
                LockGrant held = null;
                while (ctx.nextOp()) {
                    long huntStart = HistoryClock.now();
                    LockGrant next = hunt(h, locks, owner, held, resources, rnd);
                    if (next == null) {
                        continue; // nothing free for the whole timeout: keep the current lock, hunt again
                    }
                    section(h, counter, next, (HistoryClock.now() - huntStart) / 1_000, work);
                    if (held != null) {
                        release(h, locks, held);
                    }
                    held = next;
                }
                if (held != null) {
                    release(h, locks, held);
                }
            });
        }
    }

    /** The lock owner name of a worker thread: {@code w<worker>-t<thread>}. */
    static String owner(int worker, int thread) {
        return "w" + worker + "-t" + thread;
    }

    static String resource(int i) {
        return "res-" + i;
    }

    /** Tries random resources other than the one held until one is granted, or null after {@link #HUNT_TIMEOUT}. */
    private static LockGrant hunt(HistoryRecorder h, DbLockManager locks, String owner, LockGrant held,
                                  int resources, SplittableRandom rnd) throws InterruptedException {
        long deadline = HistoryClock.now() + HUNT_TIMEOUT.toNanos();
        long pause = DbLockManager.MIN_POLL_MILLIS;
        while (HistoryClock.now() - deadline < 0) {
            String r = resource(rnd.nextInt(resources));
            if (held != null && held.resource().equals(r)) {
                continue;
            }
            HistoryRecorder.Pending op = h.invoke("acquire", r);
            try {
                var grant = locks.tryAcquire(r, owner);
                if (grant.isPresent()) {
                    op.ok(Long.toString(grant.get().token()));
                    return grant.get();
                }
                op.fail("held");
            } catch (CommitOutcomeUnknownException e) {
                op.info(e.getMessage()); // maybe granted: never entered; a lease frees it, an insert-only row never
            } catch (DatabaseException e) {
                op.fail(e.getMessage());
            }
            Thread.sleep(pause / 2 + rnd.nextLong(pause / 2 + 1));
            pause = Math.min(pause * 2, DbLockManager.MAX_POLL_MILLIS);
        }
        return null;
    }

    private static void release(HistoryRecorder h, DbLockManager locks, LockGrant grant) {
        HistoryRecorder.Pending op = h.invoke("release", grant.resource(), Long.toString(grant.token()));
        try {
            op.ok(Boolean.toString(locks.release(grant))); // false: its lease had expired and was taken over
        } catch (CommitOutcomeUnknownException e) {
            op.info(e.getMessage());
        } catch (DatabaseException e) {
            op.fail(e.getMessage());
        }
    }

    /**
     * The critical section: a fenced read of the counter ({@code enter}: OK with the value read once the read has
     * fenced out every older token; FAIL if this grant is already fenced out, so it never entered), the fenced write of
     * value + 1 ({@code increment}) and {@code exit}.
     */
    private static void section(HistoryRecorder h, ProtectedCounter counter, LockGrant grant, long waitMicros,
                                long workMillis) throws InterruptedException {
        HistoryRecorder.Pending enter = h.invoke("enter", grant.resource(), Long.toString(grant.token()),
                Long.toString(waitMicros));
        long value;
        try {
            value = counter.read(grant) + 1;
            enter.ok(Long.toString(value - 1));
        } catch (StaleTokenException | DatabaseException e) {
            enter.fail(e.getMessage()); // refused, or rolled back: the read changed nothing
            return;
        }
        if (workMillis > 0) {
            Thread.sleep(workMillis);
        }
        HistoryRecorder.Pending op = h.invoke("increment", grant.resource(), Long.toString(grant.token()),
                Long.toString(value));
        try {
            counter.write(grant, value);
            op.ok(Long.toString(value));
        } catch (CommitOutcomeUnknownException e) {
            op.info(e.getMessage());
        } catch (StaleTokenException | DatabaseException e) {
            op.fail(e.getMessage());
        }
        h.invoke("exit", grant.resource()).ok("");
    }
}
