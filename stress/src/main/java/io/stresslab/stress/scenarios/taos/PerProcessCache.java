package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.ReservingIdempotencyCache;
import io.stresslab.core.taos.SharedIdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * TAOS-3 before: TAOS-1's fix, {@link ReservingIdempotencyCache}, presented as a shared store — correct within one
 * process, but each instance (each worker process) keeps its own keys, so a retry that lands on another worker runs
 * the side effect again. Built like a shared store, {@code (Database, Clock, Duration lease, Duration retention)}; it
 * uses only the clock and the retention.
 */
public final class PerProcessCache implements SharedIdempotencyStore {
    private final ReservingIdempotencyCache cache;

    public PerProcessCache(Clock clock, Duration retention) {
        cache = new ReservingIdempotencyCache(clock, retention, ReservingIdempotencyCache.DEFAULT_MAX_ENTRIES);
    }

    @Override
    public StoredResponse execute(IdempotencyKey key, String fingerprint, Callable<StoredResponse> handler,
                                  Duration wait) {
        return cache.execute(key, fingerprint, handler, wait);
    }
}
