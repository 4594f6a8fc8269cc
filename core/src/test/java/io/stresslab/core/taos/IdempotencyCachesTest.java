package io.stresslab.core.taos;

import io.stresslab.core.concurrent.ManualClock;
import io.stresslab.core.concurrent.Threads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.core.taos.IdempotencyException.Reason;
import io.stresslab.core.taos.ReservingIdempotencyCache.Owner;
import io.stresslab.core.taos.ReservingIdempotencyCache.Pending;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** TAOS-1 semantics of the in-memory idempotency caches, with an injected clock (no test sleeps for a TTL). */
class IdempotencyCachesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger runs = new AtomicInteger();

    private static IdempotencyKey key(String k) {
        return new IdempotencyKey("POST", "/api/agents", "alice", k);
    }

    private StoredResponse created() {
        return new StoredResponse(201, "agent #" + runs.incrementAndGet());
    }

    @Test
    void replaysTheIdenticalResponseWithinTheTtlAndReExecutesAfterIt() {
        var cache = new ReservingIdempotencyCache(clock);
        StoredResponse first = cache.execute(key("k"), "fp", this::created, WAIT);
        clock.advance(Duration.ofSeconds(3599));
        assertThat(cache.execute(key("k"), "fp", this::created, WAIT)).isSameAs(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.execute(key("k"), "fp", this::created, WAIT).body()).isEqualTo("agent #2");
    }

    @Test
    void anErrorResponseIsAResponseAndIsReplayed() {
        var cache = new ReservingIdempotencyCache(clock);
        StoredResponse error = cache.execute(key("k"), "fp", () -> new StoredResponse(409, "name taken"), WAIT);
        assertThat(cache.execute(key("k"), "fp", this::created, WAIT)).isSameAs(error);
        assertThat(runs).hasValue(0);
    }

    @Test
    void evictsLeastRecentlyUsedCompletedEntriesBeyondTheMaximum() {
        var cache = new ReservingIdempotencyCache(clock, Duration.ofHours(1), 2);
        cache.execute(key("a"), "fp", this::created, WAIT); // #1
        cache.execute(key("b"), "fp", this::created, WAIT); // #2
        cache.execute(key("a"), "fp", this::created, WAIT); // replay: a is now the most recently used
        cache.execute(key("c"), "fp", this::created, WAIT); // #3 evicts b
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.execute(key("a"), "fp", this::created, WAIT).body()).isEqualTo("agent #1");
        assertThat(cache.execute(key("b"), "fp", this::created, WAIT).body()).isEqualTo("agent #4");
    }

    /**
     * The bound holds under concurrent inserts and releases: four threads each complete 2,000 new keys and
     * release 500 (a throwing handler) on one cache; afterwards it holds at most its maximum and its order queue at
     * most twice that.
     */
    @Test
    void theBoundHoldsWhenManyThreadsInsertAtOnce() throws Exception {
        int max = 50;
        var cache = new ReservingIdempotencyCache(clock, Duration.ofHours(1), max);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(threads);
        AtomicInteger failures = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            String who = "t" + t;
            Threads.start("bound-" + who, () -> {
                try {
                    start.await();
                    for (int i = 0; i < 2_500; i++) {
                        IdempotencyKey k = key(who + "-" + i);
                        if (i % 5 == 4) {
                            try {
                                cache.execute(k, "fp", () -> {
                                    throw new IllegalStateException("handler failed");
                                }, WAIT);
                            } catch (IdempotencyException expected) {
                                // released: the key leaves the map, its order entry is dropped by a later pass
                            }
                        } else {
                            cache.execute(k, "fp", this::created, WAIT);
                        }
                    }
                } catch (Throwable e) {
                    failures.incrementAndGet();
                } finally {
                    finished.countDown();
                }
            });
        }
        start.countDown();
        assertThat(finished.await(30, TimeUnit.SECONDS)).as("the workers finished within 30 s").isTrue();
        assertThat(failures).hasValue(0);
        assertThat(runs).hasValue(threads * 2_000);
        assertThat(cache.size()).isLessThanOrEqualTo(max);
        assertThat(cache.queued()).isLessThanOrEqualTo(2 * max);
    }

    @Test
    void neverEvictsAnInFlightEntry() {
        var cache = new ReservingIdempotencyCache(clock, Duration.ofHours(1), 1);
        Owner a = (Owner) cache.tryReserve(key("a"), "fp");
        cache.execute(key("b"), "fp", this::created, WAIT); // over the maximum: b is the only evictable entry
        cache.execute(key("c"), "fp", this::created, WAIT);
        assertThat(cache.tryReserve(key("a"), "fp")).isInstanceOf(Pending.class);
        a.complete(new StoredResponse(201, "a"));
        assertThat(cache.execute(key("a"), "fp", this::created, WAIT).body()).isEqualTo("a");
    }

    @Test
    void aThrowingHandlerFailsItsWaitersAndReleasesTheKeyInsteadOfPoisoningIt() {
        var cache = new ReservingIdempotencyCache(clock);
        Owner owner = (Owner) cache.tryReserve(key("k"), "fp");
        Pending waiter = (Pending) cache.tryReserve(key("k"), "fp");

        assertThatThrownBy(() -> owner.run(() -> {
            throw new IllegalStateException("disk full");
        })).isInstanceOfSatisfying(IdempotencyException.class, e -> assertThat(e.reason())
                .isEqualTo(Reason.HANDLER_FAILED)).hasMessageContaining("disk full");
        assertThatThrownBy(() -> waiter.await(WAIT)).isInstanceOfSatisfying(IdempotencyException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.HANDLER_FAILED)).hasMessageContaining("retry");
        // the very next retry re-executes at once (the merged Python answered 503 for an hour)
        assertThat(cache.execute(key("k"), "fp", this::created, WAIT).body()).isEqualTo("agent #1");
    }

    @Test
    void aNullResponseCountsAsAFailure() {
        var cache = new ReservingIdempotencyCache(clock);
        assertThatThrownBy(() -> cache.execute(key("k"), "fp", () -> null, WAIT))
                .hasMessageContaining("returned no response");
        assertThat(cache.size()).isZero();
    }

    @Test
    void aWaiterGivesUpAtItsDeadlineWhileTheOwnerIsStillRunning() {
        var cache = new ReservingIdempotencyCache(clock);
        cache.tryReserve(key("k"), "fp"); // an owner that never finishes
        assertThatThrownBy(() -> cache.execute(key("k"), "fp", this::created, Duration.ofMillis(20)))
                .isInstanceOfSatisfying(IdempotencyException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.STILL_IN_PROGRESS));
        assertThat(runs).hasValue(0);
    }

    @Test
    void aReservationIsSettledOnlyOnce() {
        var cache = new ReservingIdempotencyCache(clock);
        Owner owner = (Owner) cache.tryReserve(key("k"), "fp");
        owner.complete(new StoredResponse(201, "x"));
        assertThatThrownBy(() -> owner.release(null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDifferentFingerprintForTheSameKeyIsRefusedButOtherScopesAreIndependent() {
        var cache = new ReservingIdempotencyCache(clock);
        cache.execute(key("k"), "fp-1", this::created, WAIT);
        assertThatThrownBy(() -> cache.execute(key("k"), "fp-2", this::created, WAIT))
                .isInstanceOfSatisfying(IdempotencyException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.KEY_REUSED))
                .hasMessage("Idempotency-Key 'k' was already used for a different request to POST /api/agents");
        cache.execute(new IdempotencyKey("POST", "/api/agents", "bob", "k"), "fp-2", this::created, WAIT);
        cache.execute(new IdempotencyKey("POST", "/api/deploy", "alice", "k"), "fp-2", this::created, WAIT);
        assertThat(runs).hasValue(3);
    }

    @Test
    void badInputIsRefusedWithOneLine() {
        assertThatThrownBy(() -> key("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Idempotency-Key must not be empty");
        assertThatThrownBy(() -> key("x".repeat(10_000))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Idempotency-Key is 10000 characters; at most 255 allowed");
        var cache = new ReservingIdempotencyCache(clock);
        assertThatThrownBy(() -> cache.execute(key("k"), "", this::created, WAIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("request fingerprint must not be empty");
        assertThatThrownBy(() -> cache.execute(key("k"), "fp", this::created, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.execute(null, "fp", this::created, WAIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Idempotency-Key must not be null");
        assertThatThrownBy(() -> new GetThenSetIdempotencyCache().execute(key("k"), "x".repeat(10_000),
                this::created, WAIT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("request fingerprint is 10000 characters; at most 128 allowed");
    }

    /** The bug itself, made deterministic with latches: a retry that arrives mid-execution. */
    @Test
    void aRetryArrivingMidExecutionRunsTheHandlerTwiceBeforeAndOnceAfter() throws Exception {
        assertThat(retryDuringExecution(new GetThenSetIdempotencyCache())).isEqualTo(2);
        assertThat(retryDuringExecution(new ReservingIdempotencyCache(clock))).isEqualTo(1);
    }

    private int retryDuringExecution(IdempotencyStore store) throws Exception {
        runs.set(0);
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch retryDone = new CountDownLatch(1);
        CompletableFuture<StoredResponse> first = CompletableFuture.supplyAsync(() ->
                store.execute(key("k"), "fp", () -> {
                    StoredResponse r = created();
                    inHandler.countDown();
                    retryDone.await(200, TimeUnit.MILLISECONDS); // the reserving cache's retry waits for us
                    return r;
                }, WAIT));
        assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
        StoredResponse retry = store.execute(key("k"), "fp", this::created, WAIT);
        retryDone.countDown();
        StoredResponse original = first.get(5, TimeUnit.SECONDS);
        assertThat(retry.equals(original)).isEqualTo(runs.get() == 1);
        return runs.get();
    }
}
