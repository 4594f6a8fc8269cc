package io.stresslab.core.orch;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.CommitOutcomeUnknownException;
import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.db.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * ORCH-2 after: a lease with a fencing token. A grant lasts {@code ttl}; once it has expired, the next acquire takes
 * the row over with one conditional UPDATE, so a crashed owner blocks the resource for at most its lease. Rows are
 * never deleted (release and the sweep only mark them free), so {@code fencing_token} grows by one on every grant of
 * a resource, and {@link ProtectedCounter} refuses a read or write whose token is older than the newest one it saw.
 *
 * <p>Every step is ONE autocommitted statement: acquire is the conditional UPDATE that also returns the new token
 * ({@link io.stresslab.core.db.Dialect#updateReturning}: {@code UPDATE … RETURNING} on PostgreSQL, {@code SELECT …
 * FROM FINAL TABLE (UPDATE …)} on H2), or for a resource's first grant the INSERT of its row; release is one UPDATE.
 * Lease time is the database's {@code CURRENT_TIMESTAMP} (the statement's transaction's start), never a JVM clock:
 * every worker process, on any host, compares expiry against the same clock. A takeover is race-free because the
 * conditional UPDATE locks the row: a competing UPDATE waits for the winner's commit and then re-evaluates its
 * predicate against the new lease and updates nothing (PostgreSQL READ COMMITTED, and H2 2.3 MVStore alike: checked
 * with two connections).
 *
 * <p>Waiting is a hand-over, not a race of pollers. In this process the waiters of a resource queue up in arrival
 * order and only the longest waiter asks the database; an acquire with nobody of this process queued asks at once,
 * unqueued, so an uncontended cycle costs its two statements and no queue. A release with a waiter queued here hands
 * the lease straight to it: ONE conditional UPDATE, fenced by the releaser's token like a plain release, that names
 * the waiter the owner, starts its lease and bumps the token, so a contended hand-over costs one statement where
 * release + acquire cost two, and the waiter is granted without asking. A thread that releases and acquires again
 * queues behind the waiters instead of barging. After {@value #MAX_HAND_OVERS} hand-overs in a row a release frees the
 * row instead, so waiters of other processes get their chance. A plain release wakes this process's longest waiter
 * and, on PostgreSQL, sends {@code NOTIFY} (in the same statement), which a listener connection of every other process
 * turns into the same wake-up. The jittered 5 → 50 ms poll stays as the fallback (a release in another process on H2,
 * a lost notification, an expired lease).
 */
public final class LeaseLockManager implements DbLockManager {
    /** The NOTIFY channel; the payload is the released resource's name. */
    static final String RELEASE_CHANNEL = "stresslab_lock_release";
    /** How long the listener waits per round for notifications, and how long it stays without waiters. */
    private static final int LISTEN_ROUND_MILLIS = 250;
    private static final long LISTENER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long LISTENER_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Hand-overs in a row to waiters of this process, after which a release frees the row for everyone. */
    static final int MAX_HAND_OVERS = 8;

    private final Database db;
    private final Duration ttl;
    private final String acquireSql;
    private final String insertSql;
    private final String releaseSql;
    private final String handOverSql;
    /** Per resource, this process's threads waiting in {@link #acquire}, longest waiter first. */
    private final ConcurrentHashMap<String, Queue> waiters = new ConcurrentHashMap<>();
    /** Plain releases in this process so far: tells an acquire whether one came since its unqueued ask. */
    private final AtomicLong frees = new AtomicLong();
    private final ReleaseListener listener;

    public LeaseLockManager(Database db, Duration ttl) {
        if (ttl == null || ttl.toMillis() < 1) {
            throw new IllegalArgumentException("lease ttl must be at least 1 ms");
        }
        this.db = db;
        this.ttl = ttl;
        Statements sql = Statements.of(db.dialect());
        this.acquireSql = sql.acquire();
        this.insertSql = sql.insertFirst();
        this.releaseSql = db.dialect().updateNotifying(sql.release(), "resource_name", RELEASE_CHANNEL);
        this.handOverSql = sql.handOver();
        this.listener = db.dialect().hasNotify() ? new ReleaseListener(db.config()) : null;
    }

    public Duration ttl() {
        return ttl;
    }

    /**
     * The lease's statements, each one autocommitted: {@code acquire} (binds owner, lease millis, resource; returns the
     * new fencing token), {@code insertFirst} (resource, owner, lease millis), {@code release} (resource, token; the
     * manager adds the NOTIFY on PostgreSQL) and {@code handOver} (new owner, lease millis, resource, the releaser's
     * token; returns the new token). Public for the benchmark's floor, which runs them through bare JDBC.
     */
    public record Statements(String acquire, String insertFirst, String release, String handOver) {
        public static Statements of(Dialect dialect) {
            String expiry = dialect.nowPlusMillis();
            String grant = "UPDATE lock_tracking SET locked_by = ?, locked_at = CURRENT_TIMESTAMP, lease_expires_at = "
                    + expiry + ", fencing_token = fencing_token + 1 WHERE resource_name = ? AND ";
            return new Statements(
                    dialect.updateReturning(grant + "(lease_expires_at IS NULL OR lease_expires_at < "
                            + "CURRENT_TIMESTAMP)", "fencing_token"),
                    "INSERT INTO lock_tracking (resource_name, locked_at, locked_by, lease_expires_at, fencing_token) "
                            + "VALUES (?, CURRENT_TIMESTAMP, ?, " + expiry + ", 1)",
                    "UPDATE lock_tracking SET lease_expires_at = NULL WHERE resource_name = ? AND fencing_token = ? "
                            + "AND lease_expires_at IS NOT NULL",
                    dialect.updateReturning(grant + "fencing_token = ? AND lease_expires_at IS NOT NULL",
                            "fencing_token"));
        }
    }

    @Override
    public Optional<LockGrant> tryAcquire(String resource, String owner) {
        Ids.require("resource", resource);
        Ids.require("owner", owner);
        Optional<LockGrant> taken;
        try {
            taken = db.inAutoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement(acquireSql)) {
                    Database.bind(ps, owner, ttl.toMillis(), resource);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(new LockGrant(resource, owner, rs.getLong(1)))
                                : Optional.<LockGrant>empty();
                    }
                }
            });
        } catch (CommitOutcomeUnknownException e) {
            // the connection died mid-statement: while the lease lasts, the row tells whether it committed
            Optional<LockGrant> mine = heldBy(resource, owner);
            if (mine.isEmpty()) {
                throw e; // refused, or granted and lapsed (or taken over) before we could ask: still unknown
            }
            return mine;
        }
        return taken.isPresent() ? taken : insertFirst(resource, owner);
    }

    /**
     * {@link #tryAcquire} for a waiting {@link #acquire}: an attempt whose outcome stayed unknown left this caller
     * without a live grant (else it would be returned), so the wait goes on.
     */
    private Optional<LockGrant> tryAcquireKnown(String resource, String owner) {
        try {
            return tryAcquire(resource, owner);
        } catch (CommitOutcomeUnknownException e) {
            return Optional.empty();
        }
    }

    /** The live grant of {@code resource} if {@code owner} holds it (after an acquire whose outcome was unknown). */
    private Optional<LockGrant> heldBy(String resource, String owner) {
        return db.inAutoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT fencing_token FROM lock_tracking WHERE "
                    + "resource_name = ? AND locked_by = ? AND lease_expires_at >= CURRENT_TIMESTAMP")) {
                Database.bind(ps, resource, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new LockGrant(resource, owner, rs.getLong(1)))
                            : Optional.<LockGrant>empty();
                }
            }
        });
    }

    /** The resource's first grant creates its row with token 1; a key conflict means someone else has it. */
    private Optional<LockGrant> insertFirst(String resource, String owner) {
        try {
            return db.inAutoCommitChecked(c -> {
                Jdbc.update(c, insertSql, resource, owner, ttl.toMillis());
                return Optional.of(new LockGrant(resource, owner, 1));
            });
        } catch (SQLException e) {
            if (db.dialect().isUniqueViolation(e)) {
                return Optional.empty();
            }
            throw new io.stresslab.core.db.DatabaseException(e.getMessage(), e);
        }
    }

    /**
     * With no waiter of this process queued for the resource, first asks the database at once (the uncontended
     * cycle: one statement, no queue). Otherwise, or if that found it held,
     * waits in this process's queue for the resource: only the longest waiter asks the database, then sleeps until a
     * release wakes it (here, or on PostgreSQL by NOTIFY from another process) or its jittered poll pause (5 → 50 ms)
     * passes; a release in this process may instead hand the lease straight to it. Leaving the queue — granted or
     * timed out — lets the next waiter ask. A hand-over already under way when the timeout passes (one statement) is
     * waited for: if it granted the lease, the grant is returned.
     *
     * @throws LockTimeoutException if the resource stayed held for the whole timeout
     */
    @Override
    public LockGrant acquire(String resource, String owner, Duration timeout) {
        Ids.require("resource", resource);
        Ids.require("owner", owner);
        long deadline = System.nanoTime() + timeout.toNanos();
        long freesBefore = -1;
        if (!waiters.containsKey(resource)) {
            // nobody of this process waits for it: ask at once, unqueued (the queue's bookkeeping would only slow an
            // uncontended cycle)
            freesBefore = frees.get();
            Optional<LockGrant> grant = tryAcquireKnown(resource, owner);
            if (grant.isPresent()) {
                return grant.get();
            }
            if (listener != null) {
                listener.ensureRunning();
            }
        }
        Waiter me = new Waiter(owner);
        waiters.compute(resource, (r, q) -> {
            Queue queue = q != null ? q : new Queue();
            queue.waiters.addLast(me);
            return queue;
        });
        if (freesBefore >= 0 && frees.get() == freesBefore) {
            // held when we asked and not freed here since: as the head, wait for a release (it wakes or hands over to
            // us) or one poll pause before asking again, as after any refused ask
            me.pauseFirst = true;
        }
        boolean interrupted = false;
        LockGrant result = null;
        try {
            long pause = MIN_POLL_MILLIS;
            while (true) {
                if (me.state.get() == Waiter.GRANTED) {
                    result = me.grant;
                    return result;
                }
                Queue queue = waiters.get(resource);
                boolean head = me.state.get() == Waiter.WAITING && queue != null && queue.waiters.peekFirst() == me;
                if (head && !me.pauseFirst) {
                    Optional<LockGrant> grant = tryAcquireKnown(resource, owner);
                    if (grant.isPresent()) {
                        result = grant.get(); // a hand-over to me under way now fails: the releaser lost its lease
                        return result;
                    }
                    if (listener != null) {
                        listener.ensureRunning();
                    }
                }
                me.pauseFirst = false;
                long left = deadline - System.nanoTime();
                if ((left <= 0 || interrupted) && me.state.compareAndSet(Waiter.WAITING, Waiter.LEFT)) {
                    throw new LockTimeoutException(resource, owner, timeout);
                }
                long jittered = TimeUnit.MILLISECONDS.toNanos(pause / 2
                        + ThreadLocalRandom.current().nextLong(pause / 2 + 1));
                // offered (a hand-over in flight), also past the deadline: wait for the releaser's answer
                long park = me.state.get() != Waiter.WAITING ? TimeUnit.MILLISECONDS.toNanos(1)
                        : head ? Math.min(left, jittered) : left;
                LockSupport.parkNanos(this, park);
                interrupted |= Thread.interrupted();
                if (head) {
                    pause = Math.min(pause * 2, MAX_POLL_MILLIS);
                }
            }
        } finally {
            LockGrant stray = leave(resource, me);
            if (stray != null && result == null) {
                release(stray); // handed over while this acquire failed (a database error): pass it on
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Leaves the queue once no hand-over to {@code me} is in flight, and lets the new longest waiter ask — after one
     * poll pause if {@code me} was granted, since then the resource is held here and its release will hand it over.
     * Returns the grant handed to {@code me}, if any.
     */
    private LockGrant leave(String resource, Waiter me) {
        while (!me.state.compareAndSet(Waiter.WAITING, Waiter.LEFT) && me.state.get() == Waiter.OFFERED) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1)); // the releaser's one statement
        }
        boolean granted = me.state.get() == Waiter.GRANTED;
        Waiter[] next = new Waiter[1];
        waiters.computeIfPresent(resource, (r, q) -> {
            q.waiters.remove(me);
            next[0] = q.waiters.peekFirst();
            return q.waiters.isEmpty() ? null : q;
        });
        if (next[0] != null) {
            next[0].pauseFirst = granted;
            LockSupport.unpark(next[0].thread); // the new longest waiter starts asking
        }
        return granted ? me.grant : null;
    }

    /** How many threads of this process wait for {@code resource} (for tests and diagnostics). */
    int waiting(String resource) {
        Queue queue = waiters.get(resource);
        return queue == null ? 0 : queue.waiters.size();
    }

    /** Wakes this process's longest waiter for {@code resource}, if any, to ask now: the resource was freed. */
    private void signal(String resource) {
        Queue queue = waiters.get(resource);
        Waiter head = queue == null ? null : queue.waiters.peekFirst();
        if (head != null) {
            head.pauseFirst = false; // it may have been told to pause (held here) just before the release
            LockSupport.unpark(head.thread);
        }
    }

    /** Extends the grant's lease by the ttl from now; false if it was released, swept after expiring, or taken over. */
    public boolean renew(LockGrant grant) {
        return db.inAutoCommit(c -> Jdbc.update(c, "UPDATE lock_tracking SET lease_expires_at = "
                + db.dialect().nowPlusMillis() + " WHERE resource_name = ? AND fencing_token = ? "
                + "AND lease_expires_at IS NOT NULL", ttl.toMillis(), grant.resource(), grant.token())) == 1;
    }

    /**
     * Hands the lease to this process's longest waiter (one UPDATE, see the class comment) if one is queued and fewer
     * than {@value #MAX_HAND_OVERS} hand-overs came before in a row; otherwise one UPDATE that frees it (with its
     * NOTIFY on PostgreSQL), then a wake-up for this process's longest waiter.
     */
    @Override
    public boolean release(LockGrant grant) {
        Queue queue = waiters.get(grant.resource());
        Waiter next = queue == null ? null : queue.offer();
        if (next != null) {
            Optional<Boolean> handed = handOver(grant, next, queue);
            if (handed.isPresent()) {
                return handed.get();
            }
        } else if (queue != null) {
            queue.handOvers.set(0);
        }
        Database.TxWork<Integer> update = c -> {
            try (PreparedStatement ps = c.prepareStatement(releaseSql)) {
                Database.bind(ps, grant.resource(), grant.token());
                return db.dialect().updatedRows(ps, ps.execute());
            }
        };
        boolean released;
        try {
            released = db.inAutoCommit(update) == 1;
        } catch (CommitOutcomeUnknownException e) {
            // fenced by the token, so running it again is safe; if the lost one committed, the row shows this grant
            // already freed (its token, no lease)
            released = db.inAutoCommit(update) == 1 || db.inAutoCommit(c -> Jdbc.queryLong(c, "SELECT COUNT(*) FROM "
                    + "lock_tracking WHERE resource_name = ? AND fencing_token = ? AND lease_expires_at IS NULL",
                    grant.resource(), grant.token())) == 1;
        }
        frees.incrementAndGet();
        signal(grant.resource());
        return released;
    }

    /**
     * The hand-over of {@code grant}'s lease to {@code to} (offered to it by {@link Queue#offer}): true if {@code to}
     * now holds it, false if {@code grant} had been taken over (nothing handed; {@code to} goes on asking), empty if
     * the statement's outcome stayed unknown and the row shows no hand-over: the caller then frees it plainly.
     */
    private Optional<Boolean> handOver(LockGrant grant, Waiter to, Queue queue) {
        LockGrant handed = null;
        try {
            Optional<Long> token;
            try {
                token = db.inAutoCommit(c -> {
                    try (PreparedStatement ps = c.prepareStatement(handOverSql)) {
                        Database.bind(ps, to.owner, ttl.toMillis(), grant.resource(), grant.token());
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                        }
                    }
                });
            } catch (CommitOutcomeUnknownException e) {
                // the connection died mid-statement: the row tells whether the hand-over committed
                long next = grant.token() + 1;
                boolean committed = db.inAutoCommit(c -> Jdbc.queryLong(c, "SELECT COUNT(*) FROM lock_tracking WHERE "
                        + "resource_name = ? AND fencing_token = ? AND locked_by = ? AND lease_expires_at IS NOT NULL",
                        grant.resource(), next, to.owner)) == 1;
                if (!committed) {
                    return Optional.empty();
                }
                token = Optional.of(next);
            }
            if (token.isEmpty()) {
                return Optional.of(false);
            }
            handed = new LockGrant(grant.resource(), to.owner, token.get());
            queue.handOvers.incrementAndGet();
            return Optional.of(true);
        } finally {
            to.answer(handed); // whatever happened, the waiter learns of it: granted, or back to asking
        }
    }

    @Override
    public boolean issuesFencingTokens() {
        return true;
    }

    /** Start-up recovery: {@link #sweepExpired}. */
    @Override
    public int recoverAtStartup() {
        return sweepExpired();
    }

    /** Upkeep: {@link #startSweeper} every quarter lease (10 ms to 1 s). */
    @Override
    public AutoCloseable startUpkeep() {
        return startSweeper(Duration.ofMillis(Math.max(10, Math.min(1000, ttl.toMillis() / 4))));
    }

    /** Marks every expired lease free (the row and its token stay); returns how many. */
    public int sweepExpired() {
        return db.inAutoCommit(c -> Jdbc.update(c, "UPDATE lock_tracking SET lease_expires_at = NULL "
                + "WHERE lease_expires_at < CURRENT_TIMESTAMP"));
    }

    /**
     * Runs {@link #sweepExpired} every {@code period} on a daemon thread until the returned handle is closed. Acquire
     * takes expired leases over by itself; the sweep keeps {@code lock_tracking} truthful for anyone reading it.
     */
    public AutoCloseable startSweeper(Duration period) {
        ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor(Threads.single("lease-sweeper"));
        ses.scheduleWithFixedDelay(() -> {
            try {
                sweepExpired();
            } catch (RuntimeException e) {
                // a failed sweep is harmless: the next one, or any acquire, frees the lease
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return ses::shutdownNow;
    }

    /** A thread of this process waiting in {@link #acquire}; a releaser may offer it the lease, then answers. */
    private static final class Waiter {
        static final int WAITING = 0;
        /** A releaser runs the hand-over statement for it; the waiter neither asks nor leaves until answered. */
        static final int OFFERED = 1;
        static final int GRANTED = 2;
        static final int LEFT = 3;

        final Thread thread = Thread.currentThread();
        final String owner;
        final AtomicInteger state = new AtomicInteger(WAITING);
        volatile LockGrant grant;
        /** Set when it became the longest waiter while the resource is held here: it waits one pause before asking. */
        volatile boolean pauseFirst;

        Waiter(String owner) {
            this.owner = owner;
        }

        /** The releaser's answer to an offer: the grant it handed over, or null (back to waiting and asking). */
        void answer(LockGrant handed) {
            grant = handed;
            state.set(handed != null ? GRANTED : WAITING);
            LockSupport.unpark(thread);
        }
    }

    /** A resource's waiters in this process, longest first, and the hand-overs it has seen in a row. */
    private static final class Queue {
        final ConcurrentLinkedDeque<Waiter> waiters = new ConcurrentLinkedDeque<>();
        final AtomicInteger handOvers = new AtomicInteger();

        /** The longest waiter, now offered the lease; null if none waits or the hand-overs in a row reached the cap. */
        Waiter offer() {
            if (handOvers.get() >= MAX_HAND_OVERS) {
                return null;
            }
            for (Waiter w : waiters) {
                if (w.state.compareAndSet(Waiter.WAITING, Waiter.OFFERED)) {
                    return w;
                }
            }
            return null;
        }
    }

    /**
     * PostgreSQL only: one daemon thread on its own connection (not the pool's) that LISTENs on
     * {@value #RELEASE_CHANNEL} while this process has waiters, and wakes the longest waiter of each released resource.
     * It starts when a waiter first finds its resource held and stops after two seconds without waiters; if it cannot
     * connect, waiters simply keep polling, and it tries again a second later.
     */
    private final class ReleaseListener {
        private final DbConfig config;
        private Thread thread;     // guarded by this
        private long failedAt;     // guarded by this; System.nanoTime() of the last failure, 0 if none

        ReleaseListener(DbConfig config) {
            this.config = config;
        }

        synchronized void ensureRunning() {
            if (thread != null || failedAt != 0 && System.nanoTime() - failedAt < LISTENER_RETRY_NANOS) {
                return;
            }
            thread = Threads.daemon("lease-release-listener", this::listen);
            thread.start();
        }

        private void listen() {
            Properties props = new Properties();
            props.setProperty("user", config.user() == null ? "" : config.user());
            props.setProperty("password", config.password() == null ? "" : config.password());
            props.setProperty("connectTimeout", "5");
            props.setProperty("ApplicationName", "stresslab-lease-listener");
            try (Connection c = DriverManager.getConnection(config.jdbcUrl(), props)) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + RELEASE_CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                long idleSince = System.nanoTime();
                while (true) {
                    PGNotification[] notes = pg.getNotifications(LISTEN_ROUND_MILLIS);
                    if (notes != null) {
                        for (PGNotification n : notes) {
                            signal(n.getParameter());
                        }
                    }
                    if (!waiters.isEmpty()) {
                        idleSince = System.nanoTime();
                    } else if (System.nanoTime() - idleSince > LISTENER_IDLE_NANOS) {
                        synchronized (this) {
                            if (waiters.isEmpty()) {
                                thread = null;
                                return;
                            }
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                synchronized (this) {
                    thread = null;
                    failedAt = System.nanoTime();
                }
            }
        }
    }
}
