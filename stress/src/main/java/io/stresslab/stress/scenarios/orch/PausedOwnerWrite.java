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
import io.stresslab.stress.harness.WorkerPools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A lease's life, the same steps for every lock manager. Worker A takes a resource (lease {@link #LEASE}), reads the
 * protected counter and pauses (a GC pause, a network stall). Worker B restarts again and again — start-up recovery,
 * then {@code tryAcquire} every {@value #PROBE_MILLIS} ms — until it is granted the resource, and increments the
 * counter. A wakes up and writes what it computed before its pause, then releases while worker A2, a second thread of
 * A's process, waits for the resource in {@code acquire} (A's release must not hand B's live lease to it); worker C
 * tries the resource while B still holds it, and again after B released it. Time is each worker's
 * {@link System#nanoTime} around its calls: a lease starts no earlier than the call that returned it (the contract's
 * rule), so "B was granted sooner than 90 % of a lease after A's acquire began" is a takeover before expiry whatever
 * clock the manager uses.
 */
final class PausedOwnerWrite {
    static final Duration LEASE = Duration.ofMillis(500);
    /** How long after A's lease B keeps trying before the resource counts as never reclaimed. */
    static final Duration RECLAIM_DEADLINE = Duration.ofSeconds(3);
    static final int PROBE_MILLIS = 10;
    /**
     * How long worker A2 (a second thread of A's process) waits in {@code acquire} around A's release of its
     * taken-over grant: long enough to be waiting when A releases, short enough to end well inside B's lease.
     */
    static final Duration A2_WAIT = Duration.ofMillis(100);
    /** How long the checker waits for A2 to be parked in its acquire, and then for that acquire to end. */
    static final Duration A2_DEADLINE = Duration.ofSeconds(5);
    private static final double EXPIRY_MARGIN = 0.9;

    private PausedOwnerWrite() {
    }

    /** One round on a fresh resource; nanos are relative to the start of A's acquire. */
    record Round(String resource, long tokenA, Long tokenB, long takeoverNanos, boolean lateWriteAccepted,
                 boolean releasedA, Long grantedToA2DuringB, Long grantedToCDuringB, Boolean releasedB,
                 Boolean grantedToCAfterB, long lostUpdates) {
        /** The contract violations this round shows, as "obligation: detail". */
        List<String> violations() {
            List<String> v = new ArrayList<>();
            String ms = LatencyStats.millis(takeoverNanos) + " ms";
            if (tokenB == null) {
                v.add("reclaim-after-expiry: worker-B was never granted " + resource + " within " + ms + " (worker-A "
                        + "paused, lease " + LEASE.toMillis() + " ms)");
                return v;
            }
            if (takeoverNanos < LEASE.toNanos() * EXPIRY_MARGIN) {
                v.add("no-takeover-before-expiry: worker-B was granted " + resource + " " + ms + " after worker-A's"
                        + " acquire began (lease " + LEASE.toMillis() + " ms)");
            }
            if (tokenB <= tokenA) {
                v.add("fencing: worker-B's grant has fencing token " + tokenB + ", not above worker-A's " + tokenA);
            }
            if (lateWriteAccepted) {
                v.add("fencing: worker-A's late write (token " + tokenA + ") was accepted after worker-B's (token "
                        + tokenB + ")");
            }
            if (releasedA) {
                v.add("release-own-grant-only: worker-A's release of its taken-over grant answered true");
            }
            if (grantedToA2DuringB != null) {
                v.add("exclusive: worker-A2, waiting in acquire in worker-A's process, was granted " + resource
                        + " (token " + grantedToA2DuringB + ") while worker-B's lease was live, after worker-A's "
                        + "release of its taken-over grant");
            }
            if (grantedToCDuringB != null) {
                v.add("exclusive: worker-C was granted " + resource + " (token " + grantedToCDuringB + ") while "
                        + "worker-B's lease was live" + (releasedA ? ", after worker-A's release" : ""));
            }
            if (Boolean.FALSE.equals(releasedB) || Boolean.FALSE.equals(grantedToCAfterB)) { // null: not judged
                v.add("release-own-grant-only: worker-B's release of its live grant answered " + releasedB
                        + ", worker-C granted afterwards: " + grantedToCAfterB);
            }
            if (lostUpdates > 0) {
                v.add("exclusive: " + lostUpdates + " accepted increments of " + resource + " lost");
            }
            return v;
        }
    }

    static List<Round> run(CheckContext ctx, Subject<DbLockManager> subject) throws Exception {
        int rounds = ctx.ops(3); // stops at the first round that breaks the contract
        try (WorkerPools pools = WorkerPools.open(ctx, 3, 2)) {
            Workers w = new Workers(pools, subject);
            try (AutoCloseable upkeepB = w.locksB.startUpkeep(); AutoCloseable upkeepC = w.locksC.startUpkeep()) {
                List<Round> out = new ArrayList<>();
                for (int r = 0; r < rounds && (out.isEmpty() || out.get(out.size() - 1).violations().isEmpty()); r++) {
                    out.add(w.round("res-paused-" + r));
                }
                return out;
            }
        }
    }

    /** Workers A, B and C, each with its own pool and lock manager, and the checker's audit. */
    private static final class Workers {
        final Database dbA;
        final Database dbB;
        final DbLockManager locksA;
        final DbLockManager locksB;
        final DbLockManager locksC;
        final ProtectedCounter audit;

        Workers(WorkerPools pools, Subject<DbLockManager> subject) throws Exception {
            dbA = pools.worker(0);
            dbB = pools.worker(1);
            locksA = subject.create(Env.of(dbA, LEASE));
            locksB = subject.create(Env.of(dbB, LEASE));
            locksC = subject.create(Env.of(pools.worker(2), LEASE));
            audit = new ProtectedCounter(pools.checker());
        }

        Round round(String res) throws InterruptedException {
            audit.ensure(res);
            long t0 = System.nanoTime();
            LockGrant a = locksA.acquire(res, "worker-A", RECLAIM_DEADLINE);
            long enteredA = CriticalSectionLog.enter(dbA, a);
            long seenByA = new ProtectedCounter(dbA).read(a);
            long[] bCall = new long[2];
            LockGrant b = takeover(res, t0, bCall);
            if (b == null) {
                locksA.release(a);
                return new Round(res, a.token(), null, System.nanoTime() - t0, false, false, null, null, null, null,
                        0);
            }
            long enteredB = CriticalSectionLog.enter(dbB, b);
            ProtectedCounter counterB = new ProtectedCounter(dbB);
            counterB.write(b, counterB.read(b) + 1);
            boolean accepted = lateWrite(a, seenByA + 1);
            CriticalSectionLog.exit(dbA, a, enteredA);
            A2 a2 = A2.startWaiting(locksA, res);
            boolean releasedA = locksA.release(a);
            Optional<LockGrant> during = locksC.tryAcquire(res, "worker-C");
            boolean bLive = live(bCall[0]);
            during.ifPresent(locksC::release);
            LockGrant toA2 = a2.outcome();
            boolean bLiveForA2 = live(bCall[0]);
            if (toA2 != null) {
                locksA.release(toA2);
            }
            CriticalSectionLog.exit(dbB, b, enteredB);
            boolean liveAtRelease = live(bCall[0]);
            Boolean releasedB = during.isPresent() ? null : locksB.release(b);
            releasedB = liveAtRelease ? releasedB : null; // judged only while B's lease is certainly live
            Optional<LockGrant> after = during.isPresent() ? Optional.empty() : locksC.tryAcquire(res, "worker-C");
            after.ifPresent(locksC::release);
            return new Round(res, a.token(), b.token(), bCall[1] - t0, accepted, releasedA,
                    toA2 != null && bLiveForA2 ? toA2.token() : null,
                    during.isPresent() && bLive ? during.get().token() : null, releasedB,
                    during.isPresent() ? null : after.isPresent(), audit.audit(res).lostUpdates());
        }

        /**
         * Worker A2: a second thread of A's process that waits for the resource in {@code acquire} (for
         * {@link #A2_WAIT}) while A releases its taken-over grant, so that a manager which hands a release to a waiter
         * of its own process is tried at the moment the release is no longer A's to give.
         */
        private record A2(Thread thread, CompletableFuture<LockGrant> result) {
            static A2 startWaiting(DbLockManager locksA, String res) {
                CompletableFuture<LockGrant> result = new CompletableFuture<>();
                Thread t = Threads.start("orch2-worker-A2", () -> {
                    try {
                        result.complete(locksA.acquire(res, "worker-A2", A2_WAIT));
                    } catch (LockTimeoutException e) {
                        result.complete(null);
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
                // parked or sleeping in acquire (its first attempt refused) or already done: A may release now
                long deadline = System.nanoTime() + A2_DEADLINE.toNanos();
                while (!result.isDone() && t.getState() != Thread.State.TIMED_WAITING
                        && t.getState() != Thread.State.WAITING && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
                return new A2(t, result);
            }

            /** The grant A2's acquire returned, or null if it timed out (or failed). */
            LockGrant outcome() {
                try {
                    return result.get(A2_WAIT.plus(A2_DEADLINE).toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    thread.interrupt();
                    return null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }

        /** Whether a lease whose acquire call began at {@code callStart} is certainly still live now. */
        private static boolean live(long callStart) {
            return System.nanoTime() - callStart < LEASE.toNanos() * EXPIRY_MARGIN;
        }

        /** B restarts and tries until granted: {@code call} gets the start and end of the successful tryAcquire. */
        private LockGrant takeover(String res, long t0, long[] call) throws InterruptedException {
            long deadline = t0 + LEASE.plus(RECLAIM_DEADLINE).toNanos();
            while (System.nanoTime() - deadline < 0) {
                locksB.recoverAtStartup();
                call[0] = System.nanoTime();
                Optional<LockGrant> b = locksB.tryAcquire(res, "worker-B");
                call[1] = System.nanoTime();
                if (b.isPresent()) {
                    return b.get();
                }
                Thread.sleep(PROBE_MILLIS);
            }
            return null;
        }

        private boolean lateWrite(LockGrant a, long value) {
            try {
                new ProtectedCounter(dbA).write(a, value);
                return true;
            } catch (StaleTokenException e) {
                return false;
            }
        }
    }

    static Findings judge(List<Round> rounds) {
        Findings f = new Findings();
        rounds.stream().flatMap(r -> r.violations().stream())
                .forEach(v -> f.add(v.substring(0, v.indexOf(':')), v.substring(v.indexOf(':') + 2)));
        return f;
    }

    static Observation describe(List<Round> rounds, Findings f) {
        long accepted = rounds.stream().filter(Round::lateWriteAccepted).count();
        List<Long> takeovers = rounds.stream().filter(r -> r.tokenB() != null).map(Round::takeoverNanos).toList();
        Observation o = f.observe(rounds.size() + " rounds of a paused owner (lease " + LEASE.toMillis()
                        + " ms) taken over by a restarting worker, a late write, the owner's release while a second "
                        + "thread of its process waits, and a third worker trying the resource before and after the new"
                        + " owner's release (stopping at the first violation)",
                "every takeover after the lease, every late write fenced out, every release of its own grant only"
                        + " (none handed to a waiter)")
                .operations(rounds.size() * 8L)
                .metric("rounds", rounds.size())
                .metric("lateWritesAccepted", accepted)
                .metric("lostUpdates", rounds.stream().mapToLong(Round::lostUpdates).sum())
                .metric("takeoverLatency", LatencyStats.ofNanos(takeovers).toMetric());
        return o.evidence("rounds", rounds.stream().map(Round::toString).toList());
    }
}
