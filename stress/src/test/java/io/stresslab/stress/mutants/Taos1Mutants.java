package io.stresslab.stress.mutants;

import io.stresslab.core.taos.IdempotencyException;
import io.stresslab.core.taos.IdempotencyException.Reason;
import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.Subject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * TAOS-1's mutation suite: in-process idempotency stores with the mistakes real teams make — each one mistake in an
 * otherwise correct store ({@link Base}: one monitor around a map of futures) — and that store itself as the correct
 * implementation that differs from ours. Each is a public class with the contract's {@code (Clock, Duration)}
 * constructor.
 */
public final class Taos1Mutants {
    private static final String BUG = "TAOS-1";

    private Taos1Mutants() {
    }

    public static List<Subject<IdempotencyStore>> mutants() {
        return List.of(
                Subject.mutant(BUG, IdempotencyStore.class, IgnoresFingerprint.class),
                Subject.mutant(BUG, IdempotencyStore.class, ReplayWindowThousandTimesShort.class),
                Subject.mutant(BUG, IdempotencyStore.class, CachesHandlerFailureForever.class),
                Subject.mutant(BUG, IdempotencyStore.class, GivesUpWithoutWaiting.class));
    }

    public static List<Subject<IdempotencyStore>> alternatives() {
        return List.of(Subject.alternative(BUG, IdempotencyStore.class, MonitorStore.class));
    }

    /** A correct store: one monitor decides owner or waiter; the owner completes a future the waiters await. */
    public abstract static class Base implements IdempotencyStore {
        /** One key's execution: in flight while {@code expiresAt} is null. Guarded by the store's monitor. */
        protected static final class Entry {
            final String fingerprint;
            final CompletableFuture<StoredResponse> result = new CompletableFuture<>();
            Instant expiresAt;

            Entry(String fingerprint) {
                this.fingerprint = fingerprint;
            }
        }

        protected final Clock clock;
        protected final Duration retention;
        private final Map<IdempotencyKey, Entry> entries = new HashMap<>();

        protected Base(Clock clock, Duration retention) {
            this.clock = clock;
            this.retention = retention;
        }

        @Override
        public StoredResponse execute(IdempotencyKey key, String fingerprint, Callable<StoredResponse> handler,
                                      Duration wait) {
            Entry mine = null;
            Entry theirs;
            synchronized (this) {
                theirs = entries.get(key);
                if (theirs != null && theirs.expiresAt != null && !clock.instant().isBefore(theirs.expiresAt)) {
                    entries.remove(key);
                    theirs = null;
                }
                if (theirs != null && !sameRequest(theirs.fingerprint, fingerprint)) {
                    throw new IdempotencyException(Reason.KEY_REUSED, "key " + key.key() + " reused", null);
                }
                if (theirs == null) {
                    mine = new Entry(fingerprint);
                    entries.put(key, mine);
                }
            }
            if (theirs != null) {
                return await(key, theirs.result, wait);
            }
            StoredResponse r;
            try {
                r = handler.call();
                if (r == null) {
                    throw new IllegalStateException("no response");
                }
            } catch (Exception e) {
                return failed(key, mine, e);
            }
            settle(mine, r, clock.instant().plus(window()));
            return r;
        }

        protected synchronized void settle(Entry e, StoredResponse r, Instant expiresAt) {
            e.expiresAt = expiresAt;
            e.result.complete(r);
        }

        protected boolean sameRequest(String stored, String given) {
            return stored.equals(given);
        }

        protected Duration window() {
            return retention;
        }

        /** A handler failure: release the key; the owner and its waiters fail with HANDLER_FAILED. */
        protected StoredResponse failed(IdempotencyKey key, Entry mine, Exception cause) {
            IdempotencyException f = new IdempotencyException(Reason.HANDLER_FAILED, "handler failed", cause);
            synchronized (this) {
                entries.remove(key, mine);
            }
            mine.result.completeExceptionally(f);
            throw f;
        }

        protected StoredResponse await(IdempotencyKey key, CompletableFuture<StoredResponse> f, Duration wait) {
            try {
                return f.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new IdempotencyException(Reason.STILL_IN_PROGRESS, key.key() + " in progress", null);
            } catch (ExecutionException e) {
                throw new IdempotencyException(Reason.HANDLER_FAILED, key.key() + " failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IdempotencyException(Reason.STILL_IN_PROGRESS, key.key() + " interrupted", null);
            }
        }
    }

    /** Correct, and not ours. */
    public static final class MonitorStore extends Base {
        public MonitorStore(Clock clock, Duration retention) {
            super(clock, retention);
        }
    }

    /** Looks the key up but never compares the request: another body under a used key replays the old response. */
    public static final class IgnoresFingerprint extends Base {
        public IgnoresFingerprint(Clock clock, Duration retention) {
            super(clock, retention);
        }

        @Override
        protected boolean sameRequest(String stored, String given) {
            return true;
        }
    }

    /** Reads the retention as microseconds where it meant milliseconds: the replay window is 1000× too short. */
    public static final class ReplayWindowThousandTimesShort extends Base {
        public ReplayWindowThousandTimesShort(Clock clock, Duration retention) {
            super(clock, retention);
        }

        @Override
        protected Duration window() {
            return retention.dividedBy(1000);
        }
    }

    /** Stores a handler failure as a 500 response and keeps it forever: the key is poisoned. */
    public static final class CachesHandlerFailureForever extends Base {
        public CachesHandlerFailureForever(Clock clock, Duration retention) {
            super(clock, retention);
        }

        @Override
        protected StoredResponse failed(IdempotencyKey key, Entry mine, Exception cause) {
            StoredResponse failure = new StoredResponse(500, "handler failed: " + cause.getMessage());
            settle(mine, failure, Instant.MAX);
            return failure;
        }
    }

    /** Refuses a caller whose key is in flight at once instead of waiting for the owner. */
    public static final class GivesUpWithoutWaiting extends Base {
        public GivesUpWithoutWaiting(Clock clock, Duration retention) {
            super(clock, retention);
        }

        @Override
        protected StoredResponse await(IdempotencyKey key, CompletableFuture<StoredResponse> f, Duration wait) {
            return super.await(key, f, f.isDone() ? wait : Duration.ZERO);
        }
    }
}
