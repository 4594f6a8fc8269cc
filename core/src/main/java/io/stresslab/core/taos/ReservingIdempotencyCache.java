package io.stresslab.core.taos;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * TAOS-1 after (taOS PR #675, done properly): {@link #tryReserve} atomically either makes the caller the key's owner
 * or hands it the pending result to await, so for one key and any number of concurrent callers the handler runs once
 * and every caller receives the identical {@link StoredResponse}. The owner settles the entry whatever happens: with
 * its response (success or error status), or — if the handler throws — by releasing the key, so its waiters fail
 * promptly with {@link IdempotencyException.Reason#HANDLER_FAILED} and the next retry executes again (never a key
 * poisoned for the TTL).
 *
 * <p>Completed entries are replayed until their TTL (from the injected {@link Clock}) and evicted least-recently-used
 * beyond {@code maxEntries}; in-flight entries are never evicted. One monitor guards the map for a few map operations;
 * handlers and waits run outside it.
 */
public final class ReservingIdempotencyCache implements IdempotencyStore {
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final int DEFAULT_MAX_ENTRIES = 1000;

    /** What {@link #tryReserve} decided for the caller. */
    public sealed interface Reservation permits Owner, Pending {
    }

    /** One key's execution: in flight until its owner settles it, then completed until it expires. */
    private static final class Entry {
        final String fingerprint;
        final CompletableFuture<StoredResponse> result = new CompletableFuture<>();
        Instant expiresAt; // null while in flight; guarded by the cache's monitor
        boolean settled;   // guarded by the cache's monitor

        Entry(String fingerprint) {
            this.fingerprint = fingerprint;
        }

        boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    /** The caller owns the key: it must run the handler and then {@link #complete} or {@link #release}, once. */
    public final class Owner implements Reservation {
        private final IdempotencyKey key;
        private final Entry entry;

        private Owner(IdempotencyKey key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        /** Stores the response (replayed until the TTL) and hands it to every waiter. */
        public void complete(StoredResponse response) {
            Objects.requireNonNull(response, "response");
            synchronized (entries) {
                settle();
                entry.expiresAt = clock.instant().plus(ttl);
                evictBeyondMax();
            }
            entry.result.complete(response);
        }

        /** No response: removes the entry so a retry executes again; waiters fail with {@code failure}'s reason. */
        public void release(Throwable failure) {
            synchronized (entries) {
                settle();
                entries.remove(key, entry);
            }
            entry.result.completeExceptionally(failure != null ? failure : IdempotentCalls.handlerFailed(key, null));
        }

        /** Runs the handler and settles the entry in every case; a handler failure is rethrown after the release. */
        StoredResponse run(Callable<StoredResponse> handler) {
            StoredResponse response;
            try {
                response = IdempotentCalls.call(key, handler);
            } catch (Throwable t) {
                release(t);
                throw t;
            }
            complete(response);
            return response;
        }

        private void settle() {
            if (entry.settled) {
                throw new IllegalStateException("reservation of '" + key.key() + "' was already settled");
            }
            entry.settled = true;
        }
    }

    /** Another caller owns the key (or completed it): await its response. */
    public record Pending(IdempotencyKey key, CompletableFuture<StoredResponse> result) implements Reservation {
        /** The owner's response, or an {@link IdempotencyException} if it failed or did not finish within {@code wait}. */
        public StoredResponse await(Duration wait) {
            try {
                return result.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw stillInProgress("is still in progress after " + wait.toMillis() + " ms; retry later");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw stillInProgress("was still in progress when the waiting thread was interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof IdempotencyException ie
                        ? new IdempotencyException(ie.reason(), ie.getMessage(), ie) // fresh, with this caller's stack
                        : IdempotentCalls.handlerFailed(key, cause);
            }
        }

        private IdempotencyException stillInProgress(String what) {
            return new IdempotencyException(IdempotencyException.Reason.STILL_IN_PROGRESS,
                    "the request with Idempotency-Key '" + key.key() + "' " + what, null);
        }
    }

    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final LinkedHashMap<IdempotencyKey, Entry> entries = new LinkedHashMap<>(16, 0.75f, true); // LRU order

    public ReservingIdempotencyCache(Clock clock) {
        this(clock, DEFAULT_TTL, DEFAULT_MAX_ENTRIES);
    }

    public ReservingIdempotencyCache(Clock clock, Duration ttl, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl == null || ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    /**
     * The one atomic decision: a new (or expired) key makes the caller its {@link Owner}; a live one yields its
     * {@link Pending} result (already complete when replaying). The same key with a different fingerprint is refused
     * with {@link IdempotencyException.Reason#KEY_REUSED}.
     */
    public Reservation tryReserve(IdempotencyKey key, String fingerprint) {
        IdempotentCalls.requireKey(key, fingerprint);
        synchronized (entries) {
            Entry e = entries.get(key);
            if (e != null && e.expired(clock.instant())) {
                entries.remove(key);
                e = null;
            }
            if (e == null) {
                Entry mine = new Entry(fingerprint);
                entries.put(key, mine);
                evictBeyondMax();
                return new Owner(key, mine);
            }
            if (!e.fingerprint.equals(fingerprint)) {
                throw IdempotentCalls.keyReused(key);
            }
            return new Pending(key, e.result.copy()); // a copy: a waiter cannot complete or cancel the shared one
        }
    }

    @Override
    public StoredResponse execute(IdempotencyKey key, String fingerprint, Callable<StoredResponse> handler,
                                  Duration wait) {
        IdempotentCalls.requireArguments(key, fingerprint, handler);
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("wait must be zero or positive, was " + wait);
        }
        Reservation r = tryReserve(key, fingerprint);
        return r instanceof Owner owner ? owner.run(handler) : ((Pending) r).await(wait);
    }

    /** Entries held, in flight and completed (expired ones until they are looked up or evicted). */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Drops least-recently-used completed entries while over the maximum; in-flight entries stay. */
    private void evictBeyondMax() {
        Iterator<Entry> it = entries.values().iterator();
        while (entries.size() > maxEntries && it.hasNext()) {
            if (it.next().expiresAt != null) {
                it.remove();
            }
        }
    }
}
