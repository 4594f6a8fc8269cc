package io.stresslab.core.orch;

import io.stresslab.core.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * Our {@link WorkClaimer}s (ORCH-2; before: {@link Mode#WAIT}, after: {@link Mode#SKIP_LOCKED}). Several workers
 * drain {@code work_items}: a claim locks one pending item with {@code SELECT … FOR UPDATE},
 * processes it inside that transaction and marks it done, so an item is done exactly once even if a worker dies
 * mid-item (its transaction rolls back and the row is pending again).
 *
 * <p>{@link Mode#SKIP_LOCKED} adds {@code SKIP LOCKED}: a worker passes over rows other workers hold and never waits
 * for them. {@link Mode#WAIT} is the plain form: a worker that reaches a held row waits for the holder's commit
 * (forever on PostgreSQL, up to {@code LOCK_TIMEOUT} on H2).
 *
 * <p>A claim first reads a page of pending ids without locking, then locks them one at a time by primary key (the
 * lock re-checks {@code state}). The obvious single statement {@code … WHERE state = 'pending' ORDER BY item_id
 * LIMIT 1 FOR UPDATE SKIP LOCKED} is right on PostgreSQL but not on H2 2.3: when H2 plans it over the
 * {@code (state, item_id)} index it locks EVERY pending row and applies the LIMIT afterwards, so the first claimer
 * holds the whole queue and every other SKIP LOCKED claimer finds nothing.
 */
public final class RowLockWorkClaimer implements WorkClaimer {
    /** How a claim treats rows that another worker holds. */
    public enum Mode {
        SKIP_LOCKED(" FOR UPDATE SKIP LOCKED"),
        WAIT(" FOR UPDATE");

        private final String clause;

        Mode(String clause) {
            this.clause = clause;
        }
    }

    private static final int PAGE = 16;

    private final Database db;
    private final Mode mode;

    public RowLockWorkClaimer(Database db, Mode mode) {
        this.db = db;
        this.mode = mode;
    }

    /**
     * Claims one pending item for {@code worker}, runs {@code process} with its id while holding the row lock, and
     * marks it done — all in one transaction. Empty when no unclaimed pending item is left.
     */
    @Override
    public OptionalLong claimOne(String worker, LongConsumer process) {
        Ids.require("worker", worker);
        return db.inTransaction(c -> {
            long after = 0;
            while (true) {
                List<Long> page = pendingIds(c, after);
                for (long id : page) {
                    if (lock(c, id)) {
                        process.accept(id);
                        Jdbc.update(c, "UPDATE work_items SET state = 'done', claimed_by = ?, "
                                + "done_at = CURRENT_TIMESTAMP WHERE item_id = ?", worker, id);
                        return OptionalLong.of(id);
                    }
                }
                if (page.size() < PAGE) {
                    return OptionalLong.empty();
                }
                after = page.get(page.size() - 1);
            }
        });
    }

    /** Up to {@link #PAGE} pending ids above {@code after}, in order, without locking anything. */
    private static List<Long> pendingIds(Connection c, long after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT item_id FROM work_items WHERE state = 'pending' "
                + "AND item_id > ? ORDER BY item_id LIMIT " + PAGE)) {
            ps.setLong(1, after);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    /** Locks the item if it is still pending (skipping or waiting for another holder, by mode). */
    private boolean lock(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT item_id FROM work_items WHERE item_id = ? "
                + "AND state = 'pending'" + mode.clause)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
