package io.stresslab.stress.mutants;

import io.stresslab.core.db.CommitOutcomeUnknownException;
import io.stresslab.core.db.Database;
import io.stresslab.core.taos.DatabaseIdempotencyStore;
import io.stresslab.core.taos.IdempotencyException;
import io.stresslab.core.taos.IdempotencyException.Reason;
import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.SharedIdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.Subject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * TAOS-3's mutation suite: idempotency stores in the database with the mistakes real teams make — each one mistake
 * in an otherwise correct store ({@link TableStore}: the {@code idempotency_keys} table of migration V2, polled by
 * waiters) — and that store itself as the correct implementation that differs from ours. Each is a public class with
 * the contract's {@code (Database, Clock, Duration lease, Duration retention)} constructor.
 */
public final class Taos3Mutants {
    private static final String BUG = "TAOS-3";

    private Taos3Mutants() {
    }

    public static List<Subject<SharedIdempotencyStore>> mutants() {
        return List.of(
                Subject.mutant(BUG, SharedIdempotencyStore.class, LeaseThousandTimesShort.class),
                Subject.mutant(BUG, SharedIdempotencyStore.class, CompletesByKeyOnly.class),
                Subject.mutant(BUG, SharedIdempotencyStore.class, StoresHandlerFailure.class));
    }

    /**
     * Mistakes that only a network fault shows (see {@code FaultMatrixTest}): no kill, pg_terminate_backend or
     * injected 40001 makes a COMMIT's reply go missing after the server applied it.
     */
    public static List<Subject<SharedIdempotencyStore>> faultOnly() {
        return List.of(Subject.mutant(BUG, SharedIdempotencyStore.class, RetriesUnknownCommit.class));
    }

    public static List<Subject<SharedIdempotencyStore>> alternatives() {
        return List.of(Subject.alternative(BUG, SharedIdempotencyStore.class, PollingTableStore.class));
    }

    /** A correct store: insert-if-absent reserves, an expired row is taken over by a conditional UPDATE. */
    public abstract static class TableStore implements SharedIdempotencyStore {
        private static final Object PENDING = new Object();
        private static final String TABLE = "idempotency_keys";
        protected final Database db;
        protected final Clock clock;
        protected final Duration lease;
        protected final Duration retention;
        private final String insertSql;

        protected TableStore(Database db, Clock clock, Duration lease, Duration retention) {
            this.db = db;
            this.clock = clock;
            this.lease = lease;
            this.retention = retention;
            insertSql = db.dialect().insertIfAbsent(TABLE, List.of("scope_key"), List.of("scope_key", "fingerprint",
                    "state", "owner", "generation", "lease_expires_at", "created_at"));
        }

        /** The owner's work: returns the response, or null when its reservation was taken over meanwhile. */
        @FunctionalInterface
        protected interface Owned {
            StoredResponse run(String scope, String owner);
        }

        @Override
        public StoredResponse execute(IdempotencyKey key, String fingerprint, Callable<StoredResponse> handler,
                                      Duration wait) {
            return loop(key, fingerprint, wait, (scope, owner) -> {
                StoredResponse r;
                try {
                    r = handler.call();
                    if (r == null) {
                        throw new IllegalStateException("no response");
                    }
                } catch (Exception e) {
                    return failed(scope, owner, e);
                }
                return db.inTransaction(c -> complete(c, scope, owner, r)) ? r : null;
            });
        }

        /** The side effect and the key's completion commit in one transaction, fenced by the owner id. */
        @Override
        public StoredResponse executeInTransaction(Database workDb, IdempotencyKey key, String fingerprint,
                                                   Database.TxWork<StoredResponse> work, Duration wait) {
            if (workDb != db) {
                return SharedIdempotencyStore.super.executeInTransaction(workDb, key, fingerprint, work, wait);
            }
            return loop(key, fingerprint, wait, (scope, owner) -> {
                Supplier<StoredResponse> runAndComplete = () -> db.inTransaction(c -> {
                    StoredResponse r = work.run(c);
                    if (r == null) {
                        throw new IllegalStateException("no response");
                    }
                    if (!complete(c, scope, owner, r)) {
                        throw new Fenced(); // rolls the side effect back
                    }
                    return r;
                });
                try {
                    try {
                        return runAndComplete.get();
                    } catch (CommitOutcomeUnknownException e) {
                        return unknownCommit(e, runAndComplete);
                    }
                } catch (Fenced e) {
                    return null;
                } catch (CommitOutcomeUnknownException e) {
                    throw e;
                } catch (RuntimeException e) {
                    return failed(scope, owner, e);
                }
            });
        }

        private static final class Fenced extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Fenced() {
                super("taken over", null, false, false);
            }
        }

        private StoredResponse loop(IdempotencyKey key, String fingerprint, Duration wait, Owned owned) {
            String scope = DatabaseIdempotencyStore.scopeKey(key);
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                String owner = UUID.randomUUID().toString();
                Instant now = clock.instant();
                Object r = db.inTransaction(c -> reserve(c, key, scope, fingerprint, owner, now));
                if (r instanceof StoredResponse done) {
                    return done;
                }
                if (r == owner) {
                    StoredResponse mine = owned.run(scope, owner);
                    if (mine != null) {
                        return mine;
                    }
                    continue;
                }
                if (System.nanoTime() >= deadline) {
                    throw new IdempotencyException(Reason.STILL_IN_PROGRESS, key.key() + " in progress", null);
                }
                LockSupport.parkNanos(2_000_000);
            }
        }

        private Object reserve(Connection c, IdempotencyKey key, String scope, String fingerprint, String owner,
                               Instant now) throws SQLException {
            if (update(c, insertSql, scope, fingerprint, "PENDING", owner, 1, utc(now.plus(leaseTime())), utc(now))) {
                return owner;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint, state, lease_expires_at,"
                    + " response_status, response_body FROM " + TABLE + " WHERE scope_key = ?")) {
                ps.setString(1, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return PENDING;
                    }
                    if (!rs.getObject(3, OffsetDateTime.class).toInstant().isAfter(now)) {
                        return update(c, "UPDATE " + TABLE + " SET fingerprint = ?, state = 'PENDING', owner = ?,"
                                + " generation = generation + 1, lease_expires_at = ?, response_status = NULL,"
                                + " response_body = NULL WHERE scope_key = ? AND lease_expires_at <= ?",
                                fingerprint, owner, utc(now.plus(leaseTime())), scope, utc(now)) ? owner : PENDING;
                    }
                    if (!rs.getString(1).equals(fingerprint)) {
                        throw new IdempotencyException(Reason.KEY_REUSED, key.key() + " reused", null);
                    }
                    return "DONE".equals(rs.getString(2)) ? new StoredResponse(rs.getInt(4), rs.getString(5))
                            : PENDING;
                }
            }
        }

        /**
         * The completing transaction's COMMIT was lost with its connection: it may have applied. Correct: rethrow —
         * the key is either answered or, uncommitted, re-executed once after its lease. {@code again} runs the owner's
         * transaction (side effect and completion) once more.
         */
        protected StoredResponse unknownCommit(CommitOutcomeUnknownException e, Supplier<StoredResponse> again) {
            throw e;
        }

        /** The lease an owner gets. */
        protected Duration leaseTime() {
            return lease;
        }

        /** Completes the owner's reservation; false if it is no longer the owner's. */
        protected boolean complete(Connection c, String scope, String owner, StoredResponse r) throws SQLException {
            Instant now = clock.instant();
            return update(c, "UPDATE " + TABLE + " SET state = 'DONE', response_status = ?, response_body = ?,"
                    + " completed_at = ?, lease_expires_at = ? WHERE scope_key = ? AND owner = ? AND state = 'PENDING'",
                    r.status(), r.body(), utc(now), utc(now.plus(retention)), scope, owner);
        }

        /** A handler failure: release the reservation (expire its lease at once) and fail with HANDLER_FAILED. */
        protected StoredResponse failed(String scope, String owner, Exception cause) {
            db.inTransaction(c -> update(c, "UPDATE " + TABLE + " SET lease_expires_at = ? WHERE scope_key = ?"
                    + " AND owner = ? AND state = 'PENDING'", utc(Instant.EPOCH), scope, owner));
            throw new IdempotencyException(Reason.HANDLER_FAILED, "handler failed", cause);
        }

        protected boolean update(Connection c, String sql, Object... params) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Database.bind(ps, params);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (db.dialect().isUniqueViolation(e)) {
                    return false; // H2: the reservation's INSERT found the key taken
                }
                throw e;
            }
        }

        protected static OffsetDateTime utc(Instant i) {
            return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
        }
    }

    /**
     * Correct, and not ours: polls instead of waiting on anything in memory. (Its first version left
     * {@code executeInTransaction} as the default — side effect and completion in two transactions — and the worker-JVM
     * check caught it: a kill -9 between the two had the side effect run twice.)
     */
    public static final class PollingTableStore extends TableStore {
        public PollingTableStore(Database db, Clock clock, Duration lease, Duration retention) {
            super(db, clock, lease, retention);
        }
    }

    /** Reads the lease's seconds as milliseconds: an owner still working is taken over long before its lease ends. */
    public static final class LeaseThousandTimesShort extends TableStore {
        public LeaseThousandTimesShort(Database db, Clock clock, Duration lease, Duration retention) {
            super(db, clock, lease, retention);
        }

        @Override
        protected Duration leaseTime() {
            return Duration.ofMillis(lease.toSeconds());
        }
    }

    /** Completes the row by its key alone: an owner whose lease was taken over overwrites its heir's response. */
    public static final class CompletesByKeyOnly extends TableStore {
        public CompletesByKeyOnly(Database db, Clock clock, Duration lease, Duration retention) {
            super(db, clock, lease, retention);
        }

        @Override
        protected boolean complete(Connection c, String scope, String owner, StoredResponse r) throws SQLException {
            Instant now = clock.instant();
            return update(c, "UPDATE idempotency_keys SET state = 'DONE', response_status = ?, response_body = ?,"
                    + " completed_at = ?, lease_expires_at = ? WHERE scope_key = ?", r.status(), r.body(), utc(now),
                    utc(now.plus(retention)), scope);
        }
    }

    /**
     * Retries a COMMIT of unknown outcome as if it had failed ("the connection dropped, run it again"), and fences the
     * completion by owner alone ("only the owner can complete it" — true, and the owner is who runs again). When the
     * lost COMMIT had applied, the retry finds its own key still its own, runs the side effect a second time and
     * completes the key again: two agents for one request.
     */
    public static final class RetriesUnknownCommit extends TableStore {
        public RetriesUnknownCommit(Database db, Clock clock, Duration lease, Duration retention) {
            super(db, clock, lease, retention);
        }

        @Override
        protected StoredResponse unknownCommit(CommitOutcomeUnknownException e, Supplier<StoredResponse> again) {
            return again.get();
        }

        @Override
        protected boolean complete(Connection c, String scope, String owner, StoredResponse r) throws SQLException {
            Instant now = clock.instant();
            return update(c, "UPDATE idempotency_keys SET state = 'DONE', response_status = ?, response_body = ?,"
                    + " completed_at = ?, lease_expires_at = ? WHERE scope_key = ? AND owner = ?", r.status(),
                    r.body(), utc(now), utc(now.plus(retention)), scope, owner);
        }
    }

    /** Stores a handler failure as a 500 response and replays it: the key is poisoned for the retention. */
    public static final class StoresHandlerFailure extends TableStore {
        public StoresHandlerFailure(Database db, Clock clock, Duration lease, Duration retention) {
            super(db, clock, lease, retention);
        }

        @Override
        protected StoredResponse failed(String scope, String owner, Exception cause) {
            StoredResponse failure = new StoredResponse(500, "handler failed: " + cause.getMessage());
            db.inTransaction(c -> complete(c, scope, owner, failure));
            return failure;
        }
    }
}
