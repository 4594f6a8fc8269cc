package io.stresslab.core.taos;

import io.stresslab.core.db.Database;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Runs a request handler at most once per {@link IdempotencyKey} and replays its response (TAOS-1: one process). The
 * contract, each obligation named as the checks' findings name it:
 * <ol>
 *   <li><b>once-per-key</b> — for one key and one fingerprint, any number of concurrent callers: the handler runs once
 *       and every caller receives the identical {@link StoredResponse} (status and body).</li>
 *   <li><b>key-reused-refused</b> — while a key is in flight or retained, a call with the same key and a different
 *       fingerprint throws {@link IdempotencyException} with {@link IdempotencyException.Reason#KEY_REUSED} and runs
 *       nothing.</li>
 *   <li><b>replay-until-retention</b> — a completed key replays its response, whatever its status (an error status
 *       the handler returned is a response like any other), to every caller until its retention ends: retention is
 *       measured on the injected {@link java.time.Clock} from the completion, and ends when the clock reaches
 *       completion + retention (a store may count in the clock's whole milliseconds).</li>
 *   <li><b>runs-again-after-retention</b> — once the retention has ended, the next call runs the handler again.</li>
 *   <li><b>handler-failure-released</b> — a handler that throws (or returns null) produces no response: nothing is
 *       stored, the owner's call throws {@link IdempotencyException.Reason#HANDLER_FAILED}, and the key is released,
 *       so the next call with the key runs the handler again. A caller that was waiting on the failed execution
 *       throws {@code HANDLER_FAILED} or runs the handler itself; nobody ever receives a stored failure.</li>
 *   <li><b>wait-honoured</b> — a caller that finds its key in flight waits up to {@code wait} for the owner and then
 *       returns the owner's identical response; if the owner has not finished by then it throws
 *       {@link IdempotencyException.Reason#STILL_IN_PROGRESS} (the checks allow 5 s past {@code wait}) and runs
 *       nothing. A waiter never runs the handler while the owner is running it.</li>
 *   <li><b>keys-independent</b> — keys that differ in any part (method, path, principal, raw key) never share an
 *       execution or a response.</li>
 * </ol>
 *
 * <p><b>Construction.</b> An in-process store has a public constructor {@code (Clock, Duration retention)}, or
 * {@code (Clock)} with a retention of one hour, or {@code ()}. A store kept in a database
 * ({@link SharedIdempotencyStore}) has {@code (Database, Clock, Duration lease, Duration retention)}; the checks fill
 * Duration parameters in that order. Every time the store keeps comes from the injected clock.
 *
 * <p>Implemented by the racy get-then-set cache (TAOS-1 before), the reserving in-memory cache (TAOS-1 after) and
 * the database-backed reservation store (TAOS-3 after).
 */
public interface IdempotencyStore {
    /**
     * @param key         the scoped key
     * @param fingerprint a digest of the request body; the same key with a different fingerprint is refused
     * @param handler     the side effect; its response is what every caller with this key receives
     * @param wait        how long a caller may wait for another caller's in-flight execution of the same key
     * @throws IdempotencyException with the reason the request got no response
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
