package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A per-process reserving cache standing in for core's in-memory {@code ReservingIdempotencyCache} (TAOS-1 after)
 * where that class is not on the classpath: {@code putIfAbsent} of a future makes exactly one caller per key the
 * owner in this process, and the rest await its response. Correct within one process — and, by construction, blind to
 * every other process, which is all TAOS-3's before check needs. No TTL, no eviction, no fingerprint check.
 */
final class ProcessLocalIdempotencyCache implements IdempotencyStore {
    private final ConcurrentHashMap<IdempotencyKey, CompletableFuture<StoredResponse>> entries =
            new ConcurrentHashMap<>();

    @Override
    public StoredResponse execute(IdempotencyKey key, String fingerprint, Callable<StoredResponse> handler,
                                  Duration wait) {
        CompletableFuture<StoredResponse> mine = new CompletableFuture<>();
        CompletableFuture<StoredResponse> entry = entries.putIfAbsent(key, mine);
        if (entry == null) {
            try {
                mine.complete(handler.call());
            } catch (Exception e) {
                mine.complete(new StoredResponse(500, "handler failed: " + e.getClass().getSimpleName()));
            } finally {
                mine.complete(new StoredResponse(500, "handler did not finish")); // no-op unless an Error escaped
            }
            return mine.join();
        }
        try {
            return entry.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("request with Idempotency-Key '" + key.key() + "' is still in progress");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while awaiting Idempotency-Key '" + key.key() + "'");
        } catch (ExecutionException e) {
            throw new IllegalStateException("owner of Idempotency-Key '" + key.key() + "' failed", e.getCause());
        }
    }
}
