package io.stresslab.bench.taos;

import io.stresslab.core.taos.GetThenSetIdempotencyCache;
import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.ReservingIdempotencyCache;
import io.stresslab.core.taos.StoredResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * TAOS-1: idempotent requests per second through the in-memory caches, run with 1 and 2 threads.
 * {@code get-then-set} is the racy cache (before), {@code atomic-reservation} the reservation cache (after, with its
 * real TTL clock and 1,000-entry bound), and the {@code ceiling} is {@link ConcurrentHashMap#computeIfAbsent} with the
 * same handler — the cheapest correct at-most-once map. The {@code floor} is that map plus the one cost a store that
 * honours a retention cannot avoid: each response kept with its expiry, and the clock read on every request (a replay
 * is one {@code get} and one {@link Clock#millis}; a new key one clock read and one {@code compute}). It has no
 * waiters' timeout, no bound and no fingerprint refusal, so it is a cost floor, not a correct store.
 * <ul>
 *   <li>{@code keys=distinct}: every request carries a new key, so the handler runs every time (the miss path:
 *   reserve, run, complete). Each thread has its own keys; the store is replaced by a fresh one every 500 keys of a
 *   thread, so every store holds at most 1,000 entries with 2 threads — the same working set for all three variants,
 *   within the reserving cache's 1,000-entry bound (its LRU eviction is not exercised) — and every request is still
 *   a miss.</li>
 *   <li>{@code keys=hot}: every request of every thread carries the same key, so all but the first replay the stored
 *   response (the hit path, all threads on one entry).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IdempotentRequestBenchmark {
    private static final StoredResponse CREATED = new StoredResponse(201, "{\"agent\":\"research-agent\"}");
    private static final Callable<StoredResponse> HANDLER = () -> CREATED;
    private static final String FINGERPRINT = "sha256:5f2b";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int KEYS_PER_STORE = 500;
    private static final long RETENTION_MS = ReservingIdempotencyCache.DEFAULT_TTL.toMillis();

    /** The floor's entry: a response and the end of its retention. */
    private record Kept(String fingerprint, StoredResponse response, long expiresAtMillis) {
    }

    @Param({"get-then-set", "atomic-reservation", "ceiling", "floor"})
    public String variant;

    @Param({"distinct", "hot"})
    public String keys;

    private volatile Function<IdempotencyKey, StoredResponse> store;
    private final AtomicInteger threadIds = new AtomicInteger();

    /** Each thread's principal and key counter. */
    @State(Scope.Thread)
    public static class Caller {
        String principal;
        IdempotencyKey hot;
        int next;

        @Setup(Level.Trial)
        public void setUp(IdempotentRequestBenchmark bench) {
            principal = "user-" + bench.threadIds.getAndIncrement();
            hot = new IdempotencyKey("POST", "/agents", "user", "hot-key");
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (!keys.equals("distinct") && !keys.equals("hot")) {
            throw new IllegalArgumentException("unknown keys " + keys);
        }
        store = newStore();
    }

    /** A fresh, empty store of the variant under test, as one request's call. */
    private Function<IdempotencyKey, StoredResponse> newStore() {
        return switch (variant) {
            case "get-then-set" -> calls(new GetThenSetIdempotencyCache());
            case "atomic-reservation" -> calls(new ReservingIdempotencyCache(Clock.systemUTC()));
            case "ceiling" -> {
                ConcurrentHashMap<IdempotencyKey, StoredResponse> map = new ConcurrentHashMap<>();
                yield key -> map.computeIfAbsent(key, k -> call());
            }
            case "floor" -> {
                ConcurrentHashMap<IdempotencyKey, Kept> map = new ConcurrentHashMap<>();
                Clock clock = Clock.systemUTC();
                yield key -> {
                    Kept kept = map.get(key);
                    long now = clock.millis();
                    if (kept != null && now < kept.expiresAtMillis() && kept.fingerprint().equals(FINGERPRINT)) {
                        return kept.response();
                    }
                    return map.compute(key, (k, old) -> old != null && now < old.expiresAtMillis() ? old
                            : new Kept(FINGERPRINT, call(), now + RETENTION_MS)).response();
                };
            }
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    private static Function<IdempotencyKey, StoredResponse> calls(IdempotencyStore s) {
        return key -> s.execute(key, FINGERPRINT, HANDLER, WAIT);
    }

    private static StoredResponse call() {
        try {
            return HANDLER.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public StoredResponse request(Caller caller) {
        if (keys.equals("hot")) {
            return store.apply(caller.hot);
        }
        int n = caller.next++;
        if (n == KEYS_PER_STORE) {
            caller.next = 1;
            n = 0;
            store = newStore(); // a bounded working set; the other threads' next keys are new to it as well
        }
        return store.apply(new IdempotencyKey("POST", "/agents", caller.principal, Integer.toString(n)));
    }
}
