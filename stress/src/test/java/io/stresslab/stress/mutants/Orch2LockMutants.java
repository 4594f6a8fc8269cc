package io.stresslab.stress.mutants;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DatabaseException;
import io.stresslab.core.orch.DbLockManager;
import io.stresslab.core.orch.LockGrant;
import io.stresslab.core.orch.LockTimeoutException;
import io.stresslab.stress.harness.Subject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * ORCH-2's mutation suite for {@link DbLockManager}: lease managers over {@code lock_tracking} with the mistakes real
 * teams make, and one correct manager that differs from ours. Each is a public class with the contract's
 * {@code (Database, Duration)} constructor; the mutants are {@link ConditionalUpdateLease} with one thing wrong.
 */
public final class Orch2LockMutants {
    private static final String BUG = "ORCH-2";

    private Orch2LockMutants() {
    }

    public static List<Subject<DbLockManager>> mutants() {
        return List.of(
                Subject.mutant(BUG, DbLockManager.class, SecondsReadAsMillis.class),
                Subject.mutant(BUG, DbLockManager.class, TokenKeptOnTakeover.class),
                Subject.mutant(BUG, DbLockManager.class, ReleaseByResourceName.class),
                Subject.mutant(BUG, DbLockManager.class, NeverTakesOverExpired.class),
                Subject.mutant(BUG, DbLockManager.class, StartupFreesEverything.class),
                Subject.mutant(BUG, DbLockManager.class, UnfencedHandOver.class));
    }

    /**
     * Wrong only when clocks disagree or owners pause: the old faults (kill -9, pg_terminate_backend, transient
     * failures) never catch them, a fault of the nemesis does — {@code clock-skew} catches {@link LocalClockLease},
     * {@code pause}, {@code net-freeze} and {@code net-latency} catch {@link TokenKeptOnTakeover}.
     */
    public static List<Subject<DbLockManager>> faultOnly() {
        return List.of(Subject.mutant(BUG, DbLockManager.class, LocalClockLease.class),
                Subject.mutant(BUG, DbLockManager.class, TokenKeptOnTakeover.class));
    }

    public static List<Subject<DbLockManager>> alternatives() {
        return List.of(Subject.alternative(BUG, DbLockManager.class, SelectForUpdateLease.class));
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** A lease taken over by one conditional UPDATE, like ours; its parts are the mutants' seams. */
    public static class ConditionalUpdateLease implements DbLockManager {
        static final String EXPIRED = "(lease_expires_at IS NULL OR lease_expires_at < CURRENT_TIMESTAMP)";
        static final String OWN_GRANT = " AND fencing_token = ? AND lease_expires_at IS NOT NULL";
        final Database db;
        final long leaseMillis;
        /** The predicate under which a row may be taken, the new token, which rows a release frees. */
        private final String takeable;
        private final String bump;
        private final String releaseOnly;

        public ConditionalUpdateLease(Database db, Duration lease) {
            this(db, lease.toMillis(), EXPIRED, "fencing_token + 1", OWN_GRANT);
        }

        ConditionalUpdateLease(Database db, long leaseMillis, String takeable, String bump, String releaseOnly) {
            this.db = db;
            this.leaseMillis = leaseMillis;
            this.takeable = takeable;
            this.bump = bump;
            this.releaseOnly = releaseOnly;
        }

        /** An SQL fragment and the parameters it binds, in order. */
        record Fragment(String sql, List<Object> args) {
            static Fragment of(String sql, Object... args) {
                return new Fragment(sql, List.of(args));
            }
        }

        /** A grant's start, its expiry, and the rows it may take, as one {@code tryAcquire} writes and reads them. */
        record Times(Fragment now, Fragment expiry, Fragment takeable) {
        }

        /** The database's clock: {@code CURRENT_TIMESTAMP}, plus the lease for the expiry. */
        Times times() {
            return new Times(Fragment.of("CURRENT_TIMESTAMP"), Fragment.of(db.dialect().nowPlusMillis(), leaseMillis),
                    Fragment.of(takeable));
        }

        @Override
        public Optional<LockGrant> tryAcquire(String resource, String owner) {
            Times t = times();
            Optional<LockGrant> taken = db.inTransaction(c -> {
                if (update(c, "UPDATE lock_tracking SET locked_by = ?, locked_at = " + t.now().sql()
                        + ", lease_expires_at = " + t.expiry().sql() + ", fencing_token = " + bump
                        + " WHERE resource_name = ? AND " + t.takeable().sql(),
                        args(owner, t.now(), t.expiry(), resource, t.takeable())) == 0) {
                    return Optional.empty();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT fencing_token FROM lock_tracking WHERE resource_name = ?")) {
                    ps.setString(1, resource);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return Optional.of(new LockGrant(resource, owner, rs.getLong(1)));
                    }
                }
            });
            if (taken.isPresent()) {
                return taken;
            }
            try {
                return db.inTransactionChecked(c -> {
                    update(c, "INSERT INTO lock_tracking (resource_name, locked_at, locked_by, lease_expires_at, "
                            + "fencing_token) VALUES (?, " + t.now().sql() + ", ?, " + t.expiry().sql() + ", 1)",
                            args(resource, t.now(), owner, t.expiry()));
                    return Optional.of(new LockGrant(resource, owner, 1));
                });
            } catch (SQLException e) {
                if (db.dialect().isUniqueViolation(e)) {
                    return Optional.empty();
                }
                throw new DatabaseException(e.getMessage(), e);
            }
        }

        /** Parameters in order: a plain value binds itself, a {@link Fragment} its own parameters. */
        private static Object[] args(Object... parts) {
            List<Object> out = new java.util.ArrayList<>();
            for (Object p : parts) {
                if (p instanceof Fragment f) {
                    out.addAll(f.args());
                } else {
                    out.add(p);
                }
            }
            return out.toArray();
        }

        @Override
        public boolean release(LockGrant grant) {
            String sql = "UPDATE lock_tracking SET lease_expires_at = NULL WHERE resource_name = ?" + releaseOnly;
            return db.inTransaction(c -> releaseOnly.isEmpty() ? update(c, sql, grant.resource())
                    : update(c, sql, grant.resource(), grant.token())) == 1;
        }

        @Override
        public boolean issuesFencingTokens() {
            return true;
        }
    }

    /**
     * Times the lease on the application's own clock instead of the database's: the expiry is written as this JVM's
     * now plus the lease, and a row is taken when it is before this JVM's now. Correct while every worker's clock
     * agrees; a worker whose clock runs ahead takes over live grants.
     */
    public static final class LocalClockLease extends ConditionalUpdateLease {
        private final Clock clock;

        public LocalClockLease(Database db, Clock clock, Duration lease) {
            super(db, lease);
            this.clock = clock;
        }

        @Override
        Times times() {
            OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
            return new Times(Fragment.of("?", now), Fragment.of("?", now.plus(Duration.ofMillis(leaseMillis))),
                    Fragment.of("(lease_expires_at IS NULL OR lease_expires_at < ?)", now));
        }
    }

    /** Takes over before expiry: the lease is stored as {@code lease.toSeconds()} milliseconds. */
    public static final class SecondsReadAsMillis extends ConditionalUpdateLease {
        public SecondsReadAsMillis(Database db, Duration lease) {
            super(db, lease.toSeconds(), EXPIRED, "fencing_token + 1", OWN_GRANT);
        }
    }

    /** No fencing: a takeover keeps the row's token ("the token is the lock row's"), so a late writer passes. */
    public static final class TokenKeptOnTakeover extends ConditionalUpdateLease {
        public TokenKeptOnTakeover(Database db, Duration lease) {
            super(db, lease.toMillis(), EXPIRED, "fencing_token", OWN_GRANT);
        }
    }

    /** Release frees the resource by name: a former owner's late release frees its successor's lease. */
    public static final class ReleaseByResourceName extends ConditionalUpdateLease {
        public ReleaseByResourceName(Database db, Duration lease) {
            super(db, lease.toMillis(), EXPIRED, "fencing_token + 1", "");
        }
    }

    /** Writes an expiry but never honours it: only a released row is taken; no sweep, no recovery. */
    public static final class NeverTakesOverExpired extends ConditionalUpdateLease {
        public NeverTakesOverExpired(Database db, Duration lease) {
            super(db, lease.toMillis(), "lease_expires_at IS NULL", "fencing_token + 1", OWN_GRANT);
        }
    }

    /** Start-up recovery frees every lease, "since nobody can hold a lock while we start" — a running peer can. */
    public static final class StartupFreesEverything extends ConditionalUpdateLease {
        public StartupFreesEverything(Database db, Duration lease) {
            super(db, lease);
        }

        @Override
        public int recoverAtStartup() {
            return db.inTransaction(c -> update(c, "UPDATE lock_tracking SET lease_expires_at = NULL "
                    + "WHERE lease_expires_at IS NOT NULL"));
        }
    }

    /**
     * Hands a release to a thread of its own process waiting in {@code acquire}, like ours, but the hand-over names
     * the resource only: the releaser checks that it still held the lease for its answer, and hands over regardless.
     * A releaser whose lease was taken over gives its waiter the new owner's live lease.
     */
    public static final class UnfencedHandOver extends ConditionalUpdateLease {
        private final ConcurrentHashMap<String, Queue<Waiter>> waiters = new ConcurrentHashMap<>();

        private record Waiter(String owner, CompletableFuture<LockGrant> grant) {
        }

        public UnfencedHandOver(Database db, Duration lease) {
            super(db, lease);
        }

        @Override
        public LockGrant acquire(String resource, String owner, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            Waiter me = new Waiter(owner, new CompletableFuture<>());
            Queue<Waiter> queue = waiters.computeIfAbsent(resource, r -> new ConcurrentLinkedQueue<>());
            queue.add(me);
            try {
                while (true) {
                    Optional<LockGrant> mine = tryAcquire(resource, owner);
                    if (mine.isPresent()) {
                        me.grant().complete(mine.get());
                        return mine.get();
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        if (me.grant().complete(null)) {
                            throw new LockTimeoutException(resource, owner, timeout);
                        }
                        return me.grant().join(); // handed over at the last moment
                    }
                    try {
                        return me.grant().get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(MIN_POLL_MILLIS)),
                                TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        // poll again
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        if (me.grant().complete(null)) {
                            throw new LockTimeoutException(resource, owner, timeout);
                        }
                        return me.grant().join();
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(e.getCause());
                    }
                }
            } finally {
                queue.remove(me);
            }
        }

        @Override
        public boolean release(LockGrant grant) {
            Queue<Waiter> queue = waiters.get(grant.resource());
            Waiter next = queue == null ? null : queue.poll();
            if (next == null || next.grant().isDone()) {
                return super.release(grant);
            }
            long[] handed = new long[2]; // [was it mine (1/0), the new token]
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM lock_tracking WHERE "
                        + "resource_name = ?" + OWN_GRANT)) {
                    Database.bind(ps, grant.resource(), grant.token());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        handed[0] = rs.getLong(1);
                    }
                }
                update(c, "UPDATE lock_tracking SET locked_by = ?, locked_at = CURRENT_TIMESTAMP, lease_expires_at = "
                        + db.dialect().nowPlusMillis() + ", fencing_token = fencing_token + 1 WHERE resource_name = ?",
                        next.owner(), leaseMillis, grant.resource());
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT fencing_token FROM lock_tracking WHERE resource_name = ?")) {
                    ps.setString(1, grant.resource());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        handed[1] = rs.getLong(1);
                    }
                }
                return null;
            });
            LockGrant toNext = new LockGrant(grant.resource(), next.owner(), handed[1]);
            if (!next.grant().complete(toNext)) {
                super.release(toNext); // the waiter left meanwhile
            }
            return handed[0] == 1;
        }
    }

    /**
     * Correct, and not ours: the row is locked with {@code SELECT … FOR UPDATE} and the decision taken on what it
     * shows (database time), then written; the first grant inserts the row.
     */
    public static final class SelectForUpdateLease extends ConditionalUpdateLease {
        public SelectForUpdateLease(Database db, Duration lease) {
            super(db, lease);
        }

        @Override
        public Optional<LockGrant> tryAcquire(String resource, String owner) {
            Optional<Optional<LockGrant>> seen = db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT fencing_token, CASE WHEN lease_expires_at IS "
                        + "NULL OR lease_expires_at < CURRENT_TIMESTAMP THEN 1 ELSE 0 END FROM lock_tracking "
                        + "WHERE resource_name = ? FOR UPDATE")) {
                    ps.setString(1, resource);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.<Optional<LockGrant>>empty(); // no row yet: insert below
                        }
                        if (rs.getInt(2) == 0) {
                            return Optional.of(Optional.<LockGrant>empty());
                        }
                        long token = rs.getLong(1) + 1;
                        update(c, "UPDATE lock_tracking SET locked_by = ?, locked_at = CURRENT_TIMESTAMP, "
                                + "lease_expires_at = " + db.dialect().nowPlusMillis() + ", fencing_token = ? "
                                + "WHERE resource_name = ?", owner, leaseMillis, token, resource);
                        return Optional.of(Optional.of(new LockGrant(resource, owner, token)));
                    }
                }
            });
            return seen.isPresent() ? seen.get() : super.tryAcquire(resource, owner);
        }
    }
}
