package io.stresslab.core.orch;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A named lock kept in the database, shared by several worker processes (ORCH-2, the contract a team implements). An
 * instance holds only its connection pool and settings; all correctness state lives in the database (ours use the
 * table {@code lock_tracking}, {@code db/migration/common/V4__orch.sql}; a plug-in may use its own).
 *
 * <p>Construction: a public constructor {@code (io.stresslab.core.db.Database db, java.time.Duration lease)}:
 * {@code lease} is how long a grant protects its owner without renewal.
 *
 * <p>Time: a lease is real time, measured by the database's clock ({@code CURRENT_TIMESTAMP}, one clock for every
 * worker process) or by any clock that does not run faster than real time; it starts no earlier than the call of
 * {@link #tryAcquire} that returned the grant. The checks take their time from {@link System#nanoTime} around those
 * calls, so a grant taken over sooner than {@code lease} after its acquire began is taken over before expiry.
 *
 * <p>What a worker calls, in order: {@link #recoverAtStartup} once when it (re)starts, {@link #startUpkeep} for as long
 * as it runs, and {@link #tryAcquire} / {@link #acquire} and {@link #release} around every critical section. Inside a
 * section every read and write of the protected state presents the grant's fencing token ({@link ProtectedCounter}
 * refuses a token older than the newest one that touched the resource).
 *
 * <p>Threads: several threads of a worker process share one instance and may call {@link #acquire} for the same
 * resource at once; an implementation may queue them and hand a release straight to one of them, but a hand-over is a
 * grant like any other (obligations 1, 2 and 4 hold for it), and a release of a grant that was taken over hands
 * nothing ({@code paused-owner-write} has a second thread of the paused owner's process wait in {@code acquire} while
 * the owner releases; {@code crash-reclaim} runs two of its three workers as threads of one process).
 *
 * <p>Obligations, each tested by stresslab's ORCH-2 checks ({@code paused-owner-write}: 1, 2, 4, 5;
 * {@code crash-reclaim}: 1, 3; {@code worker-jvms-kill}: 1, 3, 4):
 * <ol>
 *   <li><b>exclusive</b>: while a grant is live (neither released nor past its lease), {@code tryAcquire} of its
 *       resource by another owner answers empty; no two critical sections of a resource overlap and no increment made
 *       under a grant is lost;</li>
 *   <li><b>no-takeover-before-expiry</b>: a live grant is not taken over before its lease ends — not by
 *       {@code tryAcquire}, not by {@code recoverAtStartup}, not by upkeep;</li>
 *   <li><b>reclaim-after-expiry</b>: when an owner dies holding a grant, the running workers (their acquires and
 *       upkeep, without a restart) are granted the resource again after its lease ended: a {@code tryAcquire} that
 *       begins one poll ({@link #MAX_POLL_MILLIS}) after the lease ended is granted unless another caller was granted
 *       the resource first, and a waiting {@code acquire} gets it within a few seconds;</li>
 *   <li><b>fencing</b>: every grant carries a positive fencing token greater than every earlier grant's token of its
 *       resource, so the late write of a paused owner whose grant was taken over is refused;</li>
 *   <li><b>release-own-grant-only</b>: {@code release} of a live grant frees it (another owner's next
 *       {@code tryAcquire} is granted) and answers true; {@code release} of a grant that was taken over answers false
 *       and leaves the new owner's grant in place.</li>
 * </ol>
 * Implementations: {@link InsertOnlyLockManager} (before: breaks 3 and 4), {@link LeaseLockManager} (after).
 */
public interface DbLockManager {
    /** Polling pause bounds while a resource is held by someone else. */
    long MIN_POLL_MILLIS = 5;
    long MAX_POLL_MILLIS = 50;

    /**
     * One attempt: the grant if {@code owner} got the resource now, empty if someone else holds it. When the
     * database's answer is lost (the connection died mid-statement) and the implementation cannot tell whether it
     * granted — a grant may have lapsed or been taken over before it could ask — it throws
     * {@link io.stresslab.core.db.CommitOutcomeUnknownException} rather than answer empty: empty is a refusal, and the
     * checks judge a refusal of a resource nobody may hold as a broken reclaim (obligation 3).
     */
    Optional<LockGrant> tryAcquire(String resource, String owner);

    /** Releases the grant; false if it was no longer held (taken over, or cleaned up). */
    boolean release(LockGrant grant);

    /** Whether grants carry fencing tokens that protected writes check (obligation 4 needs them). */
    boolean issuesFencingTokens();

    /**
     * Start-up recovery, called once by a worker when it (re)starts, before its first acquire: frees locks the
     * manager knows were abandoned by dead owners — never a live grant (obligation 2). Returns how many it freed.
     * The default does nothing.
     */
    default int recoverAtStartup() {
        return 0;
    }

    /**
     * Background upkeep of a running worker (e.g. a sweep of expired leases), started once after
     * {@link #recoverAtStartup} and stopped by closing the handle; it never frees a live grant (obligation 2). The
     * default runs nothing.
     */
    default AutoCloseable startUpkeep() {
        return () -> { };
    }

    /**
     * Polls {@link #tryAcquire} (jittered, growing pauses) until granted or {@code timeout} passes. A held resource is
     * not a failure and nothing is retried here: transient database failures are retried inside each attempt's
     * transaction by {@code Database.inTransaction}.
     *
     * @throws LockTimeoutException if the resource stayed held for the whole timeout
     */
    default LockGrant acquire(String resource, String owner, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = MIN_POLL_MILLIS;
        while (true) {
            Optional<LockGrant> grant = tryAcquire(resource, owner);
            if (grant.isPresent()) {
                return grant.get();
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                throw new LockTimeoutException(resource, owner, timeout);
            }
            try {
                Thread.sleep(Math.min(leftMillis, pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockTimeoutException(resource, owner, timeout);
            }
            pause = Math.min(pause * 2, MAX_POLL_MILLIS);
        }
    }
}
