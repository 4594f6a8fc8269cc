package io.stresslab.core.taos;

/**
 * An {@link IdempotencyStore} whose reservations live in a database, so that every instance on the same database —
 * one per worker process — deduplicates together (TAOS-3). It keeps every obligation of {@link IdempotencyStore}
 * (including <b>handler-failure-released</b>: a failure is not stored) and adds, each named as the checks name it:
 * <ol>
 *   <li><b>once-across-instances</b> — callers of one key on different instances (worker processes) get one
 *       execution of the side effect and the identical response; a side effect run through
 *       {@link #executeInTransaction} on the store's own database commits together with the key's completion.</li>
 *   <li><b>lease-held-until-expiry</b> — while an owner's lease has not expired on the injected clock, no other
 *       caller takes its key over: they wait and then fail with
 *       {@link IdempotencyException.Reason#STILL_IN_PROGRESS}, running nothing.</li>
 *   <li><b>expired-lease-taken-over-once</b> — once the lease has expired (the owner died or stalled), exactly one
 *       caller takes the key over and runs the handler, and every caller of the key gets that one response.</li>
 *   <li><b>late-owner-fenced</b> — an owner whose lease was taken over cannot complete the key any more: its late
 *       completion changes nothing, and its own caller receives the response that was stored (not its own).</li>
 * </ol>
 *
 * <p><b>Construction.</b> A public constructor {@code (Database, Clock, Duration lease, Duration retention)}; the
 * store creates nothing: its schema is the {@code idempotency_keys} table of migration V2 (see
 * {@code db/migration/*}/V2__taos.sql), or a table of its own that it creates idempotently. A class may declare the
 * engines it supports with {@link io.stresslab.core.SupportedEngines}.
 */
public interface SharedIdempotencyStore extends IdempotencyStore {
}
