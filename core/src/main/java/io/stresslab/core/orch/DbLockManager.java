package io.stresslab.core.orch;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A named lock kept in the database table {@code lock_tracking}, so that several worker processes can share it. All
 * correctness state lives in the database; an instance holds only its connection pool and settings.
 */
public interface DbLockManager {
    /** Polling pause bounds while a resource is held by someone else. */
    long MIN_POLL_MILLIS = 5;
    long MAX_POLL_MILLIS = 50;

    /** One attempt: the grant if {@code owner} got the resource now, empty if someone else holds it. */
    Optional<LockGrant> tryAcquire(String resource, String owner);

    /** Releases the grant; false if it was no longer held (taken over, or cleaned up). */
    boolean release(LockGrant grant);

    /** Whether grants carry fencing tokens that protected writes check. */
    boolean issuesFencingTokens();

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
