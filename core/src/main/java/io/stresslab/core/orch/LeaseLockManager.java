package io.stresslab.core.orch;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.CommitOutcomeUnknownException;
import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Deque;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * order and only the longest waiter asks the database; a release here wakes it at once, and a thread that releases
 * and acquires again queues behind it instead of barging. On PostgreSQL a release also sends {@code NOTIFY} (in the
 * same statement), which a listener connection of every other process turns into the same wake-up. The jittered
 * 5 → 50 ms poll stays as the fallback (a release in another process on H2, a lost notification, an expired lease).
 */
public final class LeaseLockManager implements DbLockManager {
    /** The NOTIFY channel; the payload is the released resource's name. */
    static final String RELEASE_CHANNEL = "stresslab_lock_release";
    /** How long the listener waits per round for notifications, and how long it stays without waiters. */
    private static final int LISTEN_ROUND_MILLIS = 250;
    private static final long LISTENER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long LISTENER_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Database db;
    private final Duration ttl;
    private final String acquireSql;
    private final String insertSql;
    private final String releaseSql;
    /** Per resource, this process's threads waiting in {@link #acquire}, longest waiter first. */
    private final ConcurrentHashMap<String, Deque<Thread>> waiters = new ConcurrentHashMap<>();
    private final ReleaseListener listener;

    public LeaseLockManager(Database db, Duration ttl) {
        if (ttl == null || ttl.toMillis() < 1) {
            throw new IllegalArgumentException("lease ttl must be at least 1 ms");
        }
        this.db = db;
        this.ttl = ttl;
        String expiry = db.dialect().nowPlusMillis();
        this.acquireSql = db.dialect().updateReturning("UPDATE lock_tracking SET locked_by = ?, "
                + "locked_at = CURRENT_TIMESTAMP, lease_expires_at = " + expiry + ", fencing_token = fencing_token + 1 "
                + "WHERE resource_name = ? AND (lease_expires_at IS NULL OR lease_expires_at < CURRENT_TIMESTAMP)",
                "fencing_token");
        this.insertSql = "INSERT INTO lock_tracking (resource_name, locked_at, locked_by, lease_expires_at, "
                + "fencing_token) VALUES (?, CURRENT_TIMESTAMP, ?, " + expiry + ", 1)";
        this.releaseSql = db.dialect().updateNotifying("UPDATE lock_tracking SET lease_expires_at = NULL "
                + "WHERE resource_name = ? AND fencing_token = ? AND lease_expires_at IS NOT NULL", "resource_name",
                RELEASE_CHANNEL);
        this.listener = db.dialect().hasNotify() ? new ReleaseListener(db.config()) : null;
    }

    public Duration ttl() {
        return ttl;
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
            return heldBy(resource, owner); // the connection died mid-statement: the row tells whether it committed
        }
        return taken.isPresent() ? taken : insertFirst(resource, owner);
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
     * Waits in this process's queue for the resource: only the longest waiter asks the database, then sleeps until a
     * release wakes it (here, or on PostgreSQL by NOTIFY from another process) or its jittered poll pause (5 → 50 ms)
     * passes. Leaving the queue — granted or timed out — lets the next waiter ask.
     *
     * @throws LockTimeoutException if the resource stayed held for the whole timeout
     */
    @Override
    public LockGrant acquire(String resource, String owner, Duration timeout) {
        Ids.require("resource", resource);
        Ids.require("owner", owner);
        long deadline = System.nanoTime() + timeout.toNanos();
        Thread me = Thread.currentThread();
        waiters.compute(resource, (r, q) -> {
            Deque<Thread> queue = q != null ? q : new ConcurrentLinkedDeque<>();
            queue.addLast(me);
            return queue;
        });
        try {
            long pause = MIN_POLL_MILLIS;
            while (true) {
                Deque<Thread> queue = waiters.get(resource);
                boolean head = queue != null && queue.peekFirst() == me;
                if (head) {
                    Optional<LockGrant> grant = tryAcquire(resource, owner);
                    if (grant.isPresent()) {
                        return grant.get();
                    }
                    if (listener != null) {
                        listener.ensureRunning();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new LockTimeoutException(resource, owner, timeout);
                }
                long jittered = TimeUnit.MILLISECONDS.toNanos(pause / 2
                        + ThreadLocalRandom.current().nextLong(pause / 2 + 1));
                LockSupport.parkNanos(this, head ? Math.min(left, jittered) : left);
                if (Thread.interrupted()) {
                    me.interrupt();
                    throw new LockTimeoutException(resource, owner, timeout);
                }
                if (head) {
                    pause = Math.min(pause * 2, MAX_POLL_MILLIS);
                }
            }
        } finally {
            Thread[] next = new Thread[1];
            waiters.computeIfPresent(resource, (r, q) -> {
                q.remove(me);
                next[0] = q.peekFirst();
                return q.isEmpty() ? null : q;
            });
            if (next[0] != null) {
                LockSupport.unpark(next[0]); // the new longest waiter starts asking
            }
        }
    }

    /** How many threads of this process wait for {@code resource} (for tests and diagnostics). */
    int waiting(String resource) {
        Deque<Thread> queue = waiters.get(resource);
        return queue == null ? 0 : queue.size();
    }

    /** Wakes this process's longest waiter for {@code resource}, if any. */
    private void signal(String resource) {
        Deque<Thread> queue = waiters.get(resource);
        Thread head = queue == null ? null : queue.peekFirst();
        if (head != null) {
            LockSupport.unpark(head);
        }
    }

    /** Extends the grant's lease by the ttl from now; false if it was released, swept after expiring, or taken over. */
    public boolean renew(LockGrant grant) {
        return db.inAutoCommit(c -> Jdbc.update(c, "UPDATE lock_tracking SET lease_expires_at = "
                + db.dialect().nowPlusMillis() + " WHERE resource_name = ? AND fencing_token = ? "
                + "AND lease_expires_at IS NOT NULL", ttl.toMillis(), grant.resource(), grant.token())) == 1;
    }

    /** One UPDATE (with its NOTIFY on PostgreSQL), then a wake-up for this process's longest waiter. */
    @Override
    public boolean release(LockGrant grant) {
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
        signal(grant.resource());
        return released;
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
