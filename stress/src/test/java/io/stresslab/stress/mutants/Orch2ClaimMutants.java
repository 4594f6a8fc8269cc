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

    /** Locks the oldest (or newest) pending item no peer holds, id by id with SKIP LOCKED; 0 when none is left. */
    static long lockNext(Connection c, boolean newestFirst) throws SQLException {
        String order = newestFirst ? "item_id < ? ORDER BY item_id DESC" : "item_id > ? ORDER BY item_id";
        for (long from = newestFirst ? Long.MAX_VALUE : 0; ; ) {
            long id = firstId(c, "SELECT item_id FROM work_items WHERE state = 'pending' AND " + order + " LIMIT 1",
                    from);
            if (id == 0 || firstId(c, "SELECT item_id FROM work_items WHERE item_id = ? AND state = 'pending' "
                    + "FOR UPDATE SKIP LOCKED", id) != 0) {
                return id;
            }
            from = id;
        }
    }

    static void markDone(Connection c, String worker, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE work_items SET state = 'done', claimed_by = ?, "
                + "done_at = CURRENT_TIMESTAMP WHERE item_id = ?")) {
            Database.bind(ps, worker, id);
            ps.executeUpdate();
        }
    }

    /** Claims the first pending id a query returns (with or without a row lock), processes it and marks it done. */
    public static class FirstPending implements WorkClaimer {
        private final Database db;
        private final String lockClause;

        FirstPending(Database db, String lockClause) {
            this.db = db;
            this.lockClause = lockClause;
        }

        @Override
        public OptionalLong claimOne(String worker, LongConsumer process) {
            return db.inTransaction(c -> {
                long id = firstId(c, "SELECT item_id FROM work_items WHERE state = 'pending' ORDER BY item_id "
                        + "LIMIT 1" + lockClause);
                if (id == 0) {
                    return OptionalLong.empty();
                }
                process.accept(id);
                markDone(c, worker, id);
                return OptionalLong.of(id);
            });
        }
    }

    /** Processes twice: reads the next pending id without locking it, processes, then marks it done. */
    public static final class ReadThenUpdate extends FirstPending {
        public ReadThenUpdate(Database db) {
            super(db, "");
        }
    }

    /**
     * Locks the oldest (or newest) pending item no peer holds, id by id with SKIP LOCKED, and processes it inside the
     * claim's transaction — or, wrongly, after committing it done.
     */
    public static class LockNext implements WorkClaimer {
        private final Database db;
        private final boolean newestFirst;
        private final boolean processAfterCommit;

        LockNext(Database db, boolean newestFirst, boolean processAfterCommit) {
            this.db = db;
            this.newestFirst = newestFirst;
            this.processAfterCommit = processAfterCommit;
        }

        @Override
        public OptionalLong claimOne(String worker, LongConsumer process) {
            OptionalLong claimed = db.inTransaction(c -> {
                long id = lockNext(c, newestFirst);
                if (id != 0 && !processAfterCommit) {
                    process.accept(id);
                }
                if (id != 0) {
                    markDone(c, worker, id);
                }
                return id == 0 ? OptionalLong.empty() : OptionalLong.of(id);
            });
            if (processAfterCommit) {
                claimed.ifPresent(process);
            }
            return claimed;
        }
    }

    /** Loses work: claims and marks done in one short transaction, then processes outside it. */
    public static final class MarkDoneThenProcess extends LockNext {
        public MarkDoneThenProcess(Database db) {
            super(db, false, true);
        }
    }

    /**
     * The textbook single statement {@code … ORDER BY item_id LIMIT 1 FOR UPDATE SKIP LOCKED}: right on PostgreSQL,
     * but H2 2.3 locks every pending row before applying the LIMIT, so a peer finds nothing while one item is held.
     */
    public static final class OneStatementSkipLocked extends FirstPending {
        public OneStatementSkipLocked(Database db) {
            super(db, " FOR UPDATE SKIP LOCKED");
        }
    }

    /** Correct, and not ours: takes the newest pending item first, one id at a time, skipping a peer's. */
    public static final class NewestFirstSkipLocked extends LockNext {
        public NewestFirstSkipLocked(Database db) {
            super(db, true, false);
        }
    }
}
