package io.stresslab.core.taos;

import io.stresslab.core.db.CommitOutcomeUnknownException;
import io.stresslab.core.db.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * TAOS-3 after: idempotency reservations in the database, so a retry that lands on another worker process is still
 * deduplicated. Reserve = insert-if-absent on the scoped key; the owner runs the handler and completes the row with
 * its response (success or error); other callers poll with backoff until the row is done or their wait runs out. A
 * reservation whose owner died is taken over once its lease has passed, by a conditional UPDATE on the expired lease,
 * so exactly one caller re-executes it; a completed row is replayed until its TTL and then reused the same way. All
 * state is in the table (nothing in this JVM matters for correctness); times come from the injected {@link Clock}.
 * Like the in-memory cache, a handler failure stores nothing: the owner releases its reservation (fenced by its owner
 * id, by expiring its lease at once) and throws {@link IdempotencyException.Reason#HANDLER_FAILED}, so the next
 * caller executes again; an owner that dies instead is released by its lease. A side effect in the
 * store's own database ({@link #executeInTransaction}) commits in the completion's transaction, so not even a kill -9
 * between the two can get it executed twice; any other handler is at-least-once across such a crash.
 */
public final class DatabaseIdempotencyStore implements SharedIdempotencyStore {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    private static final String TABLE = "idempotency_keys";
    /** The key's row by scope key: a replay's only statement, a new key's first. */
    public static final String FIND_SQL = "SELECT fingerprint, state, owner, generation, lease_expires_at,"
            + " response_status, response_body FROM " + TABLE + " WHERE scope_key = ?";
    /**
     * Completes the owner's PENDING row; parameters: status, body, completed at, replayed until (the TTL's end), scope
     * key, owner.
     */
    public static final String COMPLETE_SQL = "UPDATE " + TABLE + " SET state = 'DONE', response_status = ?,"
            + " response_body = ?, completed_at = ?, lease_expires_at = ? WHERE scope_key = ? AND owner = ?"
            + " AND state = 'PENDING'";
    private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** What one reservation attempt found. */
    public sealed interface Reservation permits Owned, Completed, Pending {
    }

    /** The caller owns the key and must run the handler, then {@link #complete} the row. */
    public record Owned(String scopeKey, String owner, int generation) implements Reservation {
    }

    /** The key's request already completed; replay this response. */
    public record Completed(StoredResponse response) implements Reservation {
    }

    /** Another caller owns the key and is still running it, with a lease until {@code leaseExpiresAt}. */
    public record Pending(String owner, Instant leaseExpiresAt) implements Reservation {
    }

    private final Database db;
    private final Clock clock;
    private final Duration lease;
    private final Duration ttl;
    private final String insertSql;
    private final LongAdder pendingPolls = new LongAdder();
    private final String ownerPrefix = UUID.randomUUID() + "/";
    private final AtomicLong owners = new AtomicLong();

    public DatabaseIdempotencyStore(Database db, Clock clock) {
        this(db, clock, DEFAULT_LEASE, DEFAULT_TTL);
    }

    /**
     * @param lease how long an owner may run before another caller may take its reservation over; longer than any
     *              handler should take
     * @param ttl   how long a completed response is replayed
     */
    public DatabaseIdempotencyStore(Database db, Clock clock, Duration lease, Duration ttl) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lease = requirePositive(lease, "lease");
        this.ttl = requirePositive(ttl, "ttl");
        this.insertSql = db.dialect().insertIfAbsent(TABLE, List.of("scope_key"), List.of("scope_key", "fingerprint",
                "state", "owner", "generation", "lease_expires_at", "created_at"));
    }

    @Override
    public StoredResponse execute(IdempotencyKey key, String fingerprint, Callable<StoredResponse> handler,
                                  Duration wait) {
        IdempotentCalls.requireArguments(key, fingerprint, handler);
        return await(key, fingerprint, wait, owned -> {
            StoredResponse response = run(key, owned, handler);
            return complete(owned, response) ? response : null;
        });
    }

    /**
     * Runs {@code work} and completes the owned reservation in ONE transaction, fenced by the owner id: a kill -9 of
     * this process at any instant leaves either both committed (the key answered) or neither (the key reserved by a
     * dead owner, re-executed once after its lease); and an owner whose lease was taken over meanwhile rolls its side
     * effect back. If {@code db} is not this store's database the two cannot share a transaction, and the side effect
     * runs as a separate handler.
     */
    @Override
    public StoredResponse executeInTransaction(Database workDb, IdempotencyKey key, String fingerprint,
                                               Database.TxWork<StoredResponse> work, Duration wait) {
        if (workDb != db) {
            return SharedIdempotencyStore.super.executeInTransaction(workDb, key, fingerprint, work, wait);
        }
        if (work == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        IdempotentCalls.requireKey(key, fingerprint);
        return await(key, fingerprint, wait, owned -> {
            try {
                return db.inTransaction(c -> {
                    StoredResponse response = work.run(c);
                    if (response == null) {
                        throw IdempotentCalls.handlerFailed(key, null); // rolls back; released below
                    }
                    if (!completeRow(c, owned, response)) {
                        throw new TakenOver(); // rolls the side effect back
                    }
                    return response;
                });
            } catch (TakenOver e) {
                return null;
            } catch (CommitOutcomeUnknownException e) {
                throw e; // committed or not: the key is either answered or re-executed once after its lease
            } catch (RuntimeException e) {
                release(owned); // nothing committed: release the key, like a throwing handler
                throw e instanceof IdempotencyException ie ? ie : IdempotentCalls.handlerFailed(key, e);
            }
        });
    }

    /** Thrown inside the completing transaction when the reservation is no longer ours, to roll it back. */
    private static final class TakenOver extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TakenOver() {
            super("reservation taken over", null, false, false);
        }
    }

    /**
     * The caller loop: reserve; replay a completed key; as owner, {@code runAndComplete} (null: our lease was taken
     * over meanwhile, so go round and get the new owner's response); else poll with backoff until {@code wait}.
     */
    private StoredResponse await(IdempotencyKey key, String fingerprint, Duration wait,
                                 Function<Owned, StoredResponse> runAndComplete) {
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("wait must be zero or positive, was " + wait);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = FIRST_POLL_NANOS;
        while (true) {
            Reservation r = reserve(key, fingerprint);
            if (r instanceof Completed done) {
                return done.response();
            }
            if (r instanceof Owned owned) {
                StoredResponse response = runAndComplete.apply(owned);
                if (response != null) {
                    return response;
                }
                continue;
            }
            pendingPolls.increment();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw stillInProgress(key, wait);
            }
            LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.currentThread().isInterrupted()) {
                throw stillInProgress(key, Duration.ofNanos(wait.toNanos() - left));
            }
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
        }
    }

    /**
     * One reservation attempt. First, on one connection in autocommit, a plain read: a live row (DONE within its TTL,
     * or PENDING within its lease) is answered from it at once — a completed row never changes until its TTL passes,
     * so a replay costs one SELECT; a missing key is then inserted as PENDING by one autocommitted insert-if-absent
     * (we own it). Only what is left — a lost insert race, an expired lease or TTL, a connection lost meanwhile — goes
     * to one short transaction: insert the key as PENDING (we own it); else take it over if its lease or TTL has
     * passed (we own it); else report it completed or pending. A live row with a different fingerprint is refused
     * ({@link IdempotencyException.Reason#KEY_REUSED}). Owner ids are this instance's random prefix and a counter:
     * unique across processes without a call to the system's random source per request.
     */
    public Reservation reserve(IdempotencyKey key, String fingerprint) {
        IdempotentCalls.requireKey(key, fingerprint);
        String scope = scopeKey(key);
        Instant now = clock.instant();
        String[] tried = new String[1]; // the owner id of an insert whose outcome we may not have seen
        try {
            Reservation fast = db.inAutoCommit(c -> {
                Row seen = find(c, scope);
                if (seen != null) {
                    return seen.leaseExpiresAt.isAfter(now) ? answer(key, fingerprint, seen) : null;
                }
                if (tried[0] == null) {
                    tried[0] = newOwner();
                }
                return insertIfAbsent(c, scope, fingerprint, tried[0], now) ? new Owned(scope, tried[0], 1) : null;
            });
            if (fast != null) {
                return fast;
            }
        } catch (CommitOutcomeUnknownException e) {
            // the connection died during the read or the insert: the transaction below finds out (a row with our
            // owner is ours)
        }
        String owner = tried[0] != null ? tried[0] : newOwner();
        return db.inTransaction(c -> {
            if (insertIfAbsent(c, scope, fingerprint, owner, now)) {
                return new Owned(scope, owner, 1);
            }
            Row row = read(c, scope);
            if (row.owner.equals(owner) && !row.done) {
                return new Owned(scope, owner, row.generation); // our own insert, whose commit we did not see
            }
            if (!row.leaseExpiresAt.isAfter(now)) {
                if (takeOver(c, scope, fingerprint, owner, now)) {
                    return new Owned(scope, owner, row.generation + 1);
                }
                row = read(c, scope); // another caller took it over first
            }
            return answer(key, fingerprint, row);
        });
    }

    /** A live row's answer to a caller that does not own it. */
    private static Reservation answer(IdempotencyKey key, String fingerprint, Row row) {
        if (!row.fingerprint.equals(fingerprint)) {
            throw IdempotentCalls.keyReused(key);
        }
        return row.done ? new Completed(row.response) : new Pending(row.owner, row.leaseExpiresAt);
    }

    /**
     * Completes an owned reservation with its response, fenced by the owner id: returns false (and changes nothing)
     * if the reservation was taken over after its lease expired.
     */
    public boolean complete(Owned owned, StoredResponse response) {
        Objects.requireNonNull(response, "response");
        try {
            return db.inAutoCommit(c -> completeRow(c, owned, response)); // one statement: atomic by itself
        } catch (CommitOutcomeUnknownException e) {
            // fenced on (owner, PENDING), so running it again is safe: if the lost one committed, this one changes
            // nothing, answers false, and the caller re-reads the key and replays its own stored response
            return db.inAutoCommit(c -> completeRow(c, owned, response));
        }
    }

    private boolean completeRow(Connection c, Owned owned, StoredResponse response) throws SQLException {
        Instant now = clock.instant();
        try (PreparedStatement ps = c.prepareStatement(COMPLETE_SQL)) {
            Database.bind(ps, response.status(), response.body(), TokenTable.utc(now), TokenTable.utc(now.plus(ttl)),
                    owned.scopeKey(), owned.owner());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Releases an owned reservation without a response (its handler failed), fenced by the owner id: its lease is
     * expired at once, so the next caller takes the key over and executes it again. Returns false if it was no
     * longer ours.
     */
    public boolean release(Owned owned) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET lease_expires_at = ?"
                    + " WHERE scope_key = ? AND owner = ? AND state = 'PENDING'")) {
                Database.bind(ps, TokenTable.utc(Instant.EPOCH), owned.scopeKey(), owned.owner());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** A new owner id: unique across instances and processes by the prefix, within this one by the counter. */
    private String newOwner() {
        return ownerPrefix + owners.incrementAndGet();
    }

    /** How many times a caller of this instance found a key pending and waited. */
    public long pendingPolls() {
        return pendingPolls.sum();
    }

    /** The table's primary key for {@code key}: SHA-256 over its four parts, so any path or principal fits. */
    public static String scopeKey(IdempotencyKey key) {
        String joined = String.join("\u0000", key.method(), key.path(), key.principal(), key.key());
        return HexFormat.of().formatHex(TokenSecrets.sha256(joined.getBytes(StandardCharsets.UTF_8)));
    }

    private boolean insertIfAbsent(Connection c, String scope, String fingerprint, String owner, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql)) {
            Database.bind(ps, scope, fingerprint, "PENDING", owner, 1, TokenTable.utc(now.plus(lease)),
                    TokenTable.utc(now));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (db.dialect().isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The atomic takeover: succeeds for exactly one caller, and only while the row's lease (or TTL) has passed. */
    private boolean takeOver(Connection c, String scope, String fingerprint, String owner, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET fingerprint = ?, state = 'PENDING',"
                + " owner = ?, generation = generation + 1, lease_expires_at = ?, response_status = NULL,"
                + " response_body = NULL, created_at = ?, completed_at = NULL"
                + " WHERE scope_key = ? AND lease_expires_at <= ?")) {
            Database.bind(ps, fingerprint, owner, TokenTable.utc(now.plus(lease)), TokenTable.utc(now), scope,
                    TokenTable.utc(now));
            return ps.executeUpdate() == 1;
        }
    }

    private record Row(String fingerprint, boolean done, String owner, int generation, Instant leaseExpiresAt,
                       StoredResponse response) {
    }

    private static Row read(Connection c, String scope) throws SQLException {
        Row row = find(c, scope);
        if (row == null) {
            throw new SQLException("idempotency row " + scope + " vanished"); // rows are never deleted
        }
        return row;
    }

    /** The key's row, or null if there is none. */
    private static Row find(Connection c, String scope) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIND_SQL)) {
            ps.setString(1, scope);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                boolean done = "DONE".equals(rs.getString(2));
                return new Row(rs.getString(1), done, rs.getString(3), rs.getInt(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant(),
                        done ? new StoredResponse(rs.getInt(6), rs.getString(7)) : null);
            }
        }
    }

    /** Runs the handler; a failure releases the reservation (so waiters go on) and is thrown as HANDLER_FAILED. */
    private StoredResponse run(IdempotencyKey key, Owned owned, Callable<StoredResponse> handler) {
        try {
            return IdempotentCalls.call(key, handler);
        } catch (IdempotencyException e) {
            release(owned);
            throw e;
        }
    }

    private static IdempotencyException stillInProgress(IdempotencyKey key, Duration waited) {
        return new IdempotencyException(IdempotencyException.Reason.STILL_IN_PROGRESS, "the request with"
                + " Idempotency-Key '" + key.key() + "' is still in progress after " + waited.toMillis()
                + " ms; retry later", null);
    }

    private static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }
}
