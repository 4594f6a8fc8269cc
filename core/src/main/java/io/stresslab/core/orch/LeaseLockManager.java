package io.stresslab.core.orch;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.Database;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * ORCH-2 after: a lease with a fencing token. A grant lasts {@code ttl}; once it has expired, the next acquire takes
 * the row over with one conditional UPDATE, so a crashed owner blocks the resource for at most its lease. Rows are
 * never deleted (release and the sweep only mark them free), so {@code fencing_token} grows by one on every grant of
 * a resource, and {@link ProtectedCounter} refuses a read or write whose token is older than the newest one it saw.
 *
 * <p>Lease time is the database's {@code CURRENT_TIMESTAMP} (the transaction's start), never a JVM clock: every
 * worker process, on any host, compares expiry against the same clock. A takeover is race-free because the
 * conditional UPDATE locks the row: a competing UPDATE waits for the winner's commit and then re-evaluates its
 * predicate against the new lease and updates nothing (PostgreSQL READ COMMITTED, and H2 2.3 MVStore alike: checked
 * with two connections).
 */
public final class LeaseLockManager implements DbLockManager {
    private final Database db;
    private final Duration ttl;

    public LeaseLockManager(Database db, Duration ttl) {
        if (ttl == null || ttl.toMillis() < 1) {
            throw new IllegalArgumentException("lease ttl must be at least 1 ms");
        }
        this.db = db;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    @Override
    public Optional<LockGrant> tryAcquire(String resource, String owner) {
        Ids.require("resource", resource);
        Ids.require("owner", owner);
        String expiry = db.dialect().nowPlusMillis();
        Optional<LockGrant> taken = db.inTransaction(c -> {
            int n = Jdbc.update(c, "UPDATE lock_tracking SET locked_by = ?, locked_at = CURRENT_TIMESTAMP, "
                    + "lease_expires_at = " + expiry + ", fencing_token = fencing_token + 1 WHERE resource_name = ? "
                    + "AND (lease_expires_at IS NULL OR lease_expires_at < CURRENT_TIMESTAMP)",
                    owner, ttl.toMillis(), resource);
            if (n == 0) {
                return Optional.empty();
            }
            return Optional.of(new LockGrant(resource, owner, Jdbc.queryLong(c,
                    "SELECT fencing_token FROM lock_tracking WHERE resource_name = ?", resource)));
        });
        return taken.isPresent() ? taken : insertFirst(resource, owner, expiry);
    }

    /** The resource's first grant creates its row with token 1; a key conflict means someone else has it. */
    private Optional<LockGrant> insertFirst(String resource, String owner, String expiry) {
        return Jdbc.insertUnlessPresent(db, c -> {
            Jdbc.update(c, "INSERT INTO lock_tracking (resource_name, locked_at, locked_by, lease_expires_at, "
                    + "fencing_token) VALUES (?, CURRENT_TIMESTAMP, ?, " + expiry + ", 1)", resource, owner,
                    ttl.toMillis());
            return Optional.of(new LockGrant(resource, owner, 1));
        });
    }

    /** Extends the grant's lease by the ttl from now; false if it was released, swept after expiring, or taken over. */
    public boolean renew(LockGrant grant) {
        return db.inTransaction(c -> Jdbc.update(c, "UPDATE lock_tracking SET lease_expires_at = "
                + db.dialect().nowPlusMillis() + " WHERE resource_name = ? AND fencing_token = ? "
                + "AND lease_expires_at IS NOT NULL", ttl.toMillis(), grant.resource(), grant.token())) == 1;
    }

    @Override
    public boolean release(LockGrant grant) {
        return db.inTransaction(c -> Jdbc.update(c, "UPDATE lock_tracking SET lease_expires_at = NULL "
                + "WHERE resource_name = ? AND fencing_token = ? AND lease_expires_at IS NOT NULL", grant.resource(),
                grant.token())) == 1;
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
        return db.inTransaction(c -> Jdbc.update(c, "UPDATE lock_tracking SET lease_expires_at = NULL "
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
}
