package io.stresslab.core.taos;

import io.stresslab.core.db.Database;
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

    /**
     * Like {@link #execute}, for a side effect that is one transaction on {@code db}. By default the work runs in its
     * own transaction as the handler. A store that keeps its reservations in {@code db} overrides this to commit the
     * work together with the reservation's completion, so that no crash can leave the side effect committed while
     * its key still looks unanswered (which a later caller would run again).
     */
    default StoredResponse executeInTransaction(Database db, IdempotencyKey key, String fingerprint,
                                                Database.TxWork<StoredResponse> work, Duration wait) {
        if (db == null || work == null) {
            throw new IllegalArgumentException("database and work must not be null");
        }
        return execute(key, fingerprint, () -> db.inTransaction(work), wait);
    }
}
