package io.stresslab.core.orch;

import io.stresslab.core.db.Database;
import java.sql.PreparedStatement;

/** The {@code work_items} queue a {@link WorkClaimer} drains: seeding it and counting what is left. */
public final class WorkItems {
    private WorkItems() {
    }

    /** Adds pending items {@code 1..count}. */
    public static void seed(Database db, int count) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO work_items (item_id, state) VALUES (?, 'pending')")) {
                for (long id = 1; id <= count; id++) {
                    ps.setLong(1, id);
                    ps.addBatch();
                }
                return ps.executeBatch().length;
            }
        });
    }

    /** Items not done yet. */
    public static long pending(Database db) {
        return db.inTransaction(c -> Jdbc.queryLong(c, "SELECT COUNT(*) FROM work_items WHERE state <> 'done'"));
    }
}
