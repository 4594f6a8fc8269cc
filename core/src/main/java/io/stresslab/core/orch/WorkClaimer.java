package io.stresslab.core.orch;

import io.stresslab.core.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * Several workers draining {@code work_items}: each claim locks the first pending item with
 * {@code SELECT … FOR UPDATE}, processes it inside that transaction and marks it done, so an item is done exactly once
 * even if a worker dies mid-item (its transaction rolls back and the row is pending again).
 *
 * <p>{@link Mode#SKIP_LOCKED} adds {@code SKIP LOCKED}: a worker passes over rows other workers hold and never waits
 * for them (PostgreSQL, and H2 2.x alike). {@link Mode#WAIT} is the plain form: a worker that reaches a held row waits
 * for the holder's commit (forever on PostgreSQL, up to {@code LOCK_TIMEOUT} on H2).
 */
public final class WorkClaimer {
    /** How a claim treats rows that another worker holds. */
    public enum Mode {
        SKIP_LOCKED(" FOR UPDATE SKIP LOCKED"),
        WAIT(" FOR UPDATE");

        private final String clause;

        Mode(String clause) {
            this.clause = clause;
        }
    }

    private final Database db;
    private final Mode mode;

    public WorkClaimer(Database db, Mode mode) {
        this.db = db;
        this.mode = mode;
    }

    /** Adds pending items {@code 1..count}. */
    public void seed(int count) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO work_items (item_id, state) VALUES (?, 'pending')")) {
                for (long id = 1; id <= count; id++) {
                    ps.setLong(1, id);
                    ps.addBatch();
                }
                return ps.executeBatch().length;
            }
        });
    }

    /**
     * Claims one pending item for {@code worker}, runs {@code process} with its id while holding the row lock, and
     * marks it done — all in one transaction. Empty when no unclaimed pending item is left.
     */
    public OptionalLong claimOne(String worker, LongConsumer process) {
        Ids.require("worker", worker);
        return db.inTransaction(c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("SELECT item_id FROM work_items WHERE state = 'pending' "
                    + "ORDER BY item_id LIMIT 1" + mode.clause)) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return OptionalLong.empty();
                    }
                    id = rs.getLong(1);
                }
            }
            process.accept(id);
            LockSql.update(c, "UPDATE work_items SET state = 'done', claimed_by = ?, done_at = CURRENT_TIMESTAMP "
                    + "WHERE item_id = ?", worker, id);
            return OptionalLong.of(id);
        });
    }

    /** Items not done yet. */
    public long pending() {
        return db.inTransaction(c -> LockSql.queryLong(c, "SELECT COUNT(*) FROM work_items WHERE state <> 'done'"));
    }
}
