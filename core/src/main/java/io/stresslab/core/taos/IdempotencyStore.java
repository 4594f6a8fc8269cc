package io.stresslab.core.taos;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Runs a request handler at most once per {@link IdempotencyKey}: every caller with the same key — concurrent or
 * later, within the retention window — gets the identical {@link StoredResponse}. Implemented by the racy get-then-set
 * cache (TAOS-1 before), the reserving in-memory cache (TAOS-1 after, one process) and the database-backed
 * reservation store (TAOS-3 after, several processes).
 */
public interface IdempotencyStore {
    /**
     * @param key         the scoped key
     * @param fingerprint a digest of the request body; the same key with a different fingerprint is refused
     * @param handler     the side effect; its response (or its failure, as an error response) is what every
     *                    caller with this key receives
     * @param wait        how long a caller may wait for another caller's in-flight execution of the same key
     */
    StoredResponse execute(IdempotencyKey key, String fingerprint, Callable<StoredResponse> handler, Duration wait);
}
