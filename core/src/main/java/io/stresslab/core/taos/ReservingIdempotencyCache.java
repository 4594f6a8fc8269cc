package io.stresslab.core.taos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TAOS-1 after (taOS PR #675, done properly): {@link #tryReserve} atomically either makes the caller the key's owner
 * or hands it the pending result to await, so for one key and any number of concurrent callers the handler runs once
 * and every caller receives the identical {@link StoredResponse}. The owner settles the entry whatever happens: with
 * its response (success or error status), or — if the handler throws — by releasing the key, so its waiters fail
 * promptly with {@link IdempotencyException.Reason#HANDLER_FAILED} and the next retry executes again (never a key
 * poisoned for the TTL).
 *
 * <p>Entries live in a {@link ConcurrentHashMap}. A replay — the common case — is lock-free: a completed, unexpired
 * entry's response is read from its one volatile field and returned as is (no monitor, no copied future, no wait);
 * an execution nobody waits for allocates no future (the first waiter installs one).
 * Only a reservation (one {@code putIfAbsent}) and a settle (one CAS) write. Completed entries are replayed until
 * their TTL, counted in the injected {@link Clock}'s milliseconds ({@link Clock#millis}: a replay reads the clock once
 * and allocates nothing; a TTL with a fraction of a millisecond is rounded up). Beyond {@code maxEntries} they are
 * evicted approximately least recently used: in insertion order, with a second chance for entries replayed since they
 * were last passed over (a hit sets a flag once instead of relinking a list on every hit). In-flight entries are never
 * evicted.
 */
public final class ReservingIdempotencyCache implements IdempotencyStore {
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final int DEFAULT_MAX_ENTRIES = 1000;

    /** What {@link #tryReserve} decided for the caller. */
    public sealed interface Reservation permits Owner, Pending {
    }

    /** A completed entry's response and the end of its replay window (an epoch millisecond), published together. */
    private record Done(StoredResponse response, long expiresAtMillis) {
    }

    /** A released entry's failure, handed to whoever was waiting or arrives before the entry leaves the map. */
    private record Released(Throwable failure) {
    }

    /**
     * One key's execution: in flight until its owner settles it, then completed until it expires. Its {@code state}
     * moves once from in flight to settled, by the owner's CAS ({@link #STATE}): {@code null} (in flight, nobody
     * waiting) or the future the first waiter installed (in flight, awaited), then {@link Done} or {@link Released}.
     * An execution nobody waits for allocates no future.
     */
    private static final class Entry {
        final IdempotencyKey key;
        final String fingerprint;
        volatile Object state;       // null | CompletableFuture<StoredResponse> | Done | Released
        volatile boolean referenced; // replayed since eviction last passed it over

        Entry(IdempotencyKey key, String fingerprint) {
            this.key = key;
            this.fingerprint = fingerprint;
        }

        boolean expired(long nowMillis) {
            return state instanceof Done d && nowMillis >= d.expiresAtMillis;
        }

        boolean completed() {
            return state instanceof Done;
        }

        /** What a caller that finds this entry awaits: the settled outcome, or the in-flight execution's future. */
        @SuppressWarnings("unchecked")
        CompletableFuture<StoredResponse> outcome() {
            for (Object s = state; ; s = state) {
                if (s instanceof Done d) {
                    return CompletableFuture.completedFuture(d.response);
                }
                if (s instanceof Released r) {
                    return CompletableFuture.failedFuture(r.failure);
                }
                if (s != null) {
                    return ((CompletableFuture<StoredResponse>) s).copy(); // a waiter cannot complete the shared one
                }
                CompletableFuture<StoredResponse> first = new CompletableFuture<>();
                if (STATE.compareAndSet(this, null, first)) {
                    return first.copy();
                }
            }
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
        @SuppressWarnings("unchecked")
        public void complete(StoredResponse response) {
            Objects.requireNonNull(response, "response");
            if (settle(new Done(response, clock.millis() + ttlMillis)) instanceof CompletableFuture<?> waited) {
                ((CompletableFuture<StoredResponse>) waited).complete(response);
            }
            evictBeyondMax();
        }

        /** No response: removes the entry so a retry executes again; waiters fail with {@code failure}'s reason. */
        public void release(Throwable failure) {
            Throwable why = failure != null ? failure : IdempotentCalls.handlerFailed(key, null);
            Object waited = settle(new Released(why));
            entries.remove(key, entry);
            if (waited instanceof CompletableFuture<?> f) {
                f.completeExceptionally(why);
            }
            evictBeyondMax(); // drops released entries from the order queue as well, so it stays bounded
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

        /** Moves the entry to {@code outcome}, once; returns what it replaced (a waiters' future, or null). */
        private Object settle(Object outcome) {
            for (Object s = entry.state; ; s = entry.state) {
                if (s instanceof Done || s instanceof Released) {
                    throw new IllegalStateException("reservation of '" + key.key() + "' was already settled");
                }
                if (STATE.compareAndSet(entry, s, outcome)) {
                    return s;
                }
            }
        }
    }

    /** Another caller owns the key (or completed it): await its response. */
    public record Pending(IdempotencyKey key, CompletableFuture<StoredResponse> result) implements Reservation {
        /**
         * The owner's response, or an {@link IdempotencyException} if it failed or did not finish within {@code wait}.
         */
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

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Clock clock;
    private final long ttlMillis;
    private final int maxEntries;
    private final ConcurrentHashMap<IdempotencyKey, Entry> entries = new ConcurrentHashMap<>();
    /** Every entry ever reserved, oldest first; eviction walks it (stale ones are dropped as it passes them). */
    private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

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
        this.ttlMillis = ttl.plusNanos(999_999).toMillis(); // whole milliseconds, rounded up
        this.maxEntries = maxEntries;
    }

    /**
     * The one atomic decision: a new (or expired) key makes the caller its {@link Owner}; a live one yields its
     * {@link Pending} result (already complete when replaying). The same key with a different fingerprint is refused
     * with {@link IdempotencyException.Reason#KEY_REUSED}.
     */
    public Reservation tryReserve(IdempotencyKey key, String fingerprint) {
        IdempotentCalls.requireKey(key, fingerprint);
        Entry mine = new Entry(key, fingerprint);
        Entry e = entries.putIfAbsent(key, mine); // a new key: one insert
        if (e == null) {
            e = mine;
        } else {
            long now = clock.millis();
            if (e.expired(now)) { // replaced under the key's bin lock, unless another caller replaced it first
                e = entries.compute(key, (k, live) -> live == null || live.expired(now) ? mine : live);
            }
        }
        if (e == mine) {
            order.add(e); // evicted, once completed, by a later completion (an in-flight entry never is)
            queued.incrementAndGet();
            return new Owner(key, e);
        }
        if (!e.fingerprint.equals(fingerprint)) {
            throw IdempotentCalls.keyReused(key);
        }
        return new Pending(key, e.outcome());
    }

    @Override
    public StoredResponse execute(IdempotencyKey key, String fingerprint, Callable<StoredResponse> handler,
                                  Duration wait) {
        IdempotentCalls.requireArguments(key, fingerprint, handler);
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("wait must be zero or positive, was " + wait);
        }
        StoredResponse replay = replay(key, fingerprint);
        if (replay != null) {
            return replay;
        }
        Reservation r = tryReserve(key, fingerprint);
        return r instanceof Owner owner ? owner.run(handler) : ((Pending) r).await(wait);
    }

    /**
     * The lock-free fast path: the stored response of a completed, unexpired entry with this fingerprint, else null
     * (missing, in flight, expired or another fingerprint: {@link #tryReserve} decides those).
     */
    private StoredResponse replay(IdempotencyKey key, String fingerprint) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (!(e.state instanceof Done d) || !e.fingerprint.equals(fingerprint) || clock.millis() >= d.expiresAtMillis) {
            return null;
        }
        if (!e.referenced) {
            e.referenced = true; // a write only on the first hit since eviction last passed it
        }
        return d.response;
    }

    /** Entries held, in flight and completed (expired ones until they are looked up or evicted). */
    public int size() {
        return entries.size();
    }

    /** Entries in the insertion-order queue, stale ones included (bounded by twice the maximum; for tests). */
    int queued() {
        return queued.get();
    }

    /**
     * While over the maximum, walks the entries oldest first: drops those no longer held (released, replaced after
     * expiring), gives a replayed one a second chance, keeps in-flight ones, and evicts the first completed one that
     * was not replayed since last passed. Each pass visits every queued entry at most twice, so it ends even when
     * every entry is in flight.
     */
    private void evictBeyondMax() {
        int budget = 2 * queued.get() + 1;
        while ((entries.size() > maxEntries || queued.get() > 2 * maxEntries) && budget-- > 0) {
            Entry e = order.poll();
            if (e == null) {
                return;
            }
            if (entries.get(e.key) != e) {
                queued.decrementAndGet(); // stale: already gone from the map
                continue;
            }
            if (!e.completed() || e.referenced) {
                e.referenced = false;
                order.add(e); // in flight: never evicted; replayed: a second chance
                continue;
            }
            if (entries.size() > maxEntries) {
                entries.remove(e.key, e);
                queued.decrementAndGet();
            } else {
                order.add(e);
            }
        }
    }
}
