package io.stresslab.stress.mutants;

import io.stresslab.core.db.Database;
import io.stresslab.core.orch.WorkClaimer;
import io.stresslab.stress.harness.Subject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * ORCH-2's mutation suite for {@link WorkClaimer}: claimers over {@code work_items} with the mistakes real teams make,
 * and one correct claimer that differs from ours. Each is a public class with the contract's {@code (Database)}
 * constructor.
 */
public final class Orch2ClaimMutants {
    private static final String BUG = "ORCH-2";

    private Orch2ClaimMutants() {
    }

    public static List<Subject<WorkClaimer>> mutants() {
        return List.of(
                Subject.mutant(BUG, WorkClaimer.class, ReadThenUpdate.class),
                Subject.mutant(BUG, WorkClaimer.class, MarkDoneThenProcess.class),
                Subject.mutant(BUG, WorkClaimer.class, OneStatementSkipLocked.class));
    }

    public static List<Subject<WorkClaimer>> alternatives() {
        return List.of(Subject.alternative(BUG, WorkClaimer.class, NewestFirstSkipLocked.class));
    }

    /** The first id a query returns, or 0. */
    static long firstId(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    static void markDone(Connection c, String worker, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE work_items SET state = 'done', claimed_by = ?, "
                + "done_at = CURRENT_TIMESTAMP WHERE item_id = ?")) {
            Database.bind(ps, worker, id);
            ps.executeUpdate();
        }
    }

    /** Processes twice: reads the next pending id without locking it, processes, then marks it done. */
    public static final class ReadThenUpdate implements WorkClaimer {
        private final Database db;

        public ReadThenUpdate(Database db) {
            this.db = db;
        }

        @Override
        public OptionalLong claimOne(String worker, LongConsumer process) {
            return db.inTransaction(c -> {
                long id = firstId(c, "SELECT item_id FROM work_items WHERE state = 'pending' ORDER BY item_id "
                        + "LIMIT 1");
                if (id == 0) {
                    return OptionalLong.empty();
                }
                process.accept(id);
                markDone(c, worker, id);
                return OptionalLong.of(id);
            });
        }
    }

    /** Loses work: claims and marks done in one short transaction, then processes outside it. */
    public static final class MarkDoneThenProcess implements WorkClaimer {
        private final Database db;

        public MarkDoneThenProcess(Database db) {
            this.db = db;
        }

        @Override
        public OptionalLong claimOne(String worker, LongConsumer process) {
            long id = db.inTransaction(c -> {
                for (long next = 0; ; ) {
                    next = firstId(c, "SELECT item_id FROM work_items WHERE state = 'pending' AND item_id > ? "
                            + "ORDER BY item_id LIMIT 1", next);
                    if (next == 0 || firstId(c, "SELECT item_id FROM work_items WHERE item_id = ? AND state = "
                            + "'pending' FOR UPDATE SKIP LOCKED", next) != 0) {
                        if (next != 0) {
                            markDone(c, worker, next);
                        }
                        return next;
                    }
                }
            });
            if (id == 0) {
                return OptionalLong.empty();
            }
            process.accept(id);
            return OptionalLong.of(id);
        }
    }

    /**
     * The textbook single statement {@code … ORDER BY item_id LIMIT 1 FOR UPDATE SKIP LOCKED}: right on PostgreSQL,
     * but H2 2.3 locks every pending row before applying the LIMIT, so a peer finds nothing while one item is held.
     */
    public static final class OneStatementSkipLocked implements WorkClaimer {
        private final Database db;

        public OneStatementSkipLocked(Database db) {
            this.db = db;
        }

        @Override
        public OptionalLong claimOne(String worker, LongConsumer process) {
            return db.inTransaction(c -> {
                long id = firstId(c, "SELECT item_id FROM work_items WHERE state = 'pending' ORDER BY item_id "
                        + "LIMIT 1 FOR UPDATE SKIP LOCKED");
                if (id == 0) {
                    return OptionalLong.empty();
                }
                process.accept(id);
                markDone(c, worker, id);
                return OptionalLong.of(id);
            });
        }
    }

    /** Correct, and not ours: takes the newest pending item first, one id at a time, skipping a peer's. */
    public static final class NewestFirstSkipLocked implements WorkClaimer {
        private final Database db;

        public NewestFirstSkipLocked(Database db) {
            this.db = db;
        }

        @Override
        public OptionalLong claimOne(String worker, LongConsumer process) {
            return db.inTransaction(c -> {
                for (long below = Long.MAX_VALUE; ; ) {
                    long id = firstId(c, "SELECT item_id FROM work_items WHERE state = 'pending' AND item_id < ? "
                            + "ORDER BY item_id DESC LIMIT 1", below);
                    if (id == 0) {
                        return OptionalLong.empty();
                    }
                    if (firstId(c, "SELECT item_id FROM work_items WHERE item_id = ? AND state = 'pending' "
                            + "FOR UPDATE SKIP LOCKED", id) != 0) {
                        process.accept(id);
                        markDone(c, worker, id);
                        return OptionalLong.of(id);
                    }
                    below = id;
                }
            });
        }
    }
}
