package io.stresslab.core.taos;

import io.stresslab.core.concurrent.NonReentrantLock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Lock;

/**
 * TAOS-1 before (taOS PR #450, Pass 1): {@link #get} and {@link #set} each take the cache's lock on their own, and the
 * handler runs between them with no lock and no reservation. A retry with the same Idempotency-Key that arrives while
 * the first request is still executing misses the cache and runs the handler again — a second agent, a second,
 * different response for one key ("the {@code -2} slug suffix masks this as a silent duplicate").
 */
public final class GetThenSetIdempotencyCache implements IdempotencyStore {
    private record Stored(String fingerprint, StoredResponse response) {
    }

    private final Lock lock = new NonReentrantLock("idempotency-cache"); // Python's threading.Lock
    private final Map<IdempotencyKey, Stored> entries = new HashMap<>();

    /** The cached response for {@code key}, if any; a hit with a different fingerprint is refused. */
    public Optional<StoredResponse> get(IdempotencyKey key, String fingerprint) {
        IdempotentCalls.requireKey(key, fingerprint);
        lock.lock();
        try {
            Stored s = entries.get(key);
            if (s != null && !s.fingerprint().equals(fingerprint)) {
                throw IdempotentCalls.keyReused(key);
            }
            return Optional.ofNullable(s).map(Stored::response);
        } finally {
            lock.unlock();
        }
    }

    /** Stores (or overwrites — the last writer wins) the response for {@code key}. */
    public void set(IdempotencyKey key, String fingerprint, StoredResponse response) {
        IdempotentCalls.requireKey(key, fingerprint);
        lock.lock();
        try {
            entries.put(key, new Stored(fingerprint, response));
        } finally {
            lock.unlock();
        }
    }

    /** get → (miss) handler → set: the check-then-act the bug is about. {@code wait} is unused: nobody waits. */
    @Override
    public StoredResponse execute(IdempotencyKey key, String fingerprint, Callable<StoredResponse> handler,
                                  Duration wait) {
        IdempotentCalls.requireArguments(key, fingerprint, handler);
        Optional<StoredResponse> cached = get(key, fingerprint);
        if (cached.isPresent()) {
            return cached.get();
        }
        StoredResponse response = IdempotentCalls.call(key, handler); // a concurrent retry misses right here
        set(key, fingerprint, response);
        return response;
    }
}
