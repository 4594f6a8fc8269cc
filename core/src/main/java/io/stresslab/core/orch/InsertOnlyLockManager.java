package io.stresslab.core.orch;

import io.stresslab.core.db.Database;
import java.time.Duration;
import java.util.Optional;

/**
 * ORCH-2 before: a lock row that never expires. Acquire inserts (resource, now, owner) and a key conflict means
 * "held"; release deletes the owner's row. An owner that dies without releasing blocks the resource until somebody runs
 * the start-up {@link #cleanupStaleLocks}, which frees rows by age alone — also a live owner's, who then keeps writing
 * unfenced.
 */
public final class InsertOnlyLockManager implements DbLockManager {
    /** The seed's start-up cleanup age. */
    static final Duration SEED_STALE_AGE = Duration.ofSeconds(120);

    private final Database db;
    private final Duration staleAge;

    public InsertOnlyLockManager(Database db) {
        this(db, SEED_STALE_AGE);
    }

    /**
     * The contract's constructor: {@code staleAge} (the "lease") is the age after which start-up cleanup frees a row.
     */
    public InsertOnlyLockManager(Database db, Duration staleAge) {
        if (staleAge == null || staleAge.isNegative()) {
            throw new IllegalArgumentException("staleAge must be zero or positive");
        }
        this.db = db;
        this.staleAge = staleAge;
    }

    @Override
    public Optional<LockGrant> tryAcquire(String resource, String owner) {
        Ids.require("resource", resource);
        Ids.require("owner", owner);
        return Jdbc.insertUnlessPresent(db, c -> {
            Jdbc.update(c, "INSERT INTO lock_tracking (resource_name, locked_at, locked_by) "
                    + "VALUES (?, CURRENT_TIMESTAMP, ?)", resource, owner);
            return Optional.of(new LockGrant(resource, owner, 0));
        });
    }

    @Override
    public boolean release(LockGrant grant) {
        return db.inTransaction(c -> Jdbc.update(c,
                "DELETE FROM lock_tracking WHERE resource_name = ? AND locked_by = ?", grant.resource(),
                grant.owner())) == 1;
    }

    @Override
    public boolean issuesFencingTokens() {
        return false;
    }

    /**
     * The seed's start-up cleanup: {@link #cleanupStaleLocks} of rows older than the stale age; nothing else frees one.
     */
    @Override
    public int recoverAtStartup() {
        return cleanupStaleLocks(staleAge);
    }

    /**
     * The seed's documented fix, run at start-up: deletes every lock row older than {@code maxAge} in one
     * transaction and returns how many it deleted.
     */
    public int cleanupStaleLocks(Duration maxAge) {
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must be zero or positive");
        }
        return db.inTransaction(c -> Jdbc.update(c, "DELETE FROM lock_tracking WHERE locked_at < "
                + db.dialect().nowPlusMillis(), -maxAge.toMillis()));
    }
}
