package io.stresslab.stress.campaign;

import io.stresslab.core.db.CommitOutcomeUnknownException;
import io.stresslab.core.db.Database;
import io.stresslab.core.db.DatabaseException;
import io.stresslab.stress.history.HistoryRecorder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A demonstration workload: counters in {@code sl_counter(k, v)} incremented by read-modify-write transactions.
 * Parameter {@code mode}: {@code locked} reads with {@code SELECT … FOR UPDATE} (correct); {@code racy} reads with a
 * plain {@code SELECT} and writes back {@code v + 1} (a lost update whenever two transactions overlap). One op in five
 * is a read. Ops are recorded as the register model's {@code incr} (result: the value written) and {@code read}.
 */
public final class CounterWorkload implements Workload {
    static final String CREATE = "CREATE TABLE sl_counter (k VARCHAR(64) PRIMARY KEY, v BIGINT NOT NULL)";

    @Override
    public void run(WorkerContext ctx) throws Exception {
        boolean locked = ctx.param("mode", "locked").equals("locked");
        int keys = Integer.parseInt(ctx.param("keys", "2"));
        Database db = ctx.database();
        String select = "SELECT v FROM sl_counter WHERE k = ?" + (locked ? " FOR UPDATE" : "");
        ctx.runThreads(Duration.ofSeconds(20), t -> {
            SplittableRandom rnd = ctx.random(t);
            while (ctx.nextOp()) {
                String key = "c" + rnd.nextInt(keys);
                boolean read = rnd.nextInt(5) == 0;
                HistoryRecorder.Pending op = read ? ctx.history().invoke("read", key)
                        : ctx.history().invoke("incr", key);
                try {
                    long v = db.inTransaction(c -> {
                        long current = value(c, select, key);
                        if (read) {
                            return current;
                        }
                        try (PreparedStatement ps = c.prepareStatement("UPDATE sl_counter SET v = ? WHERE k = ?")) {
                            Database.bind(ps, current + 1, key);
                            ps.executeUpdate();
                        }
                        return current + 1;
                    });
                    op.ok(Long.toString(v));
                } catch (CommitOutcomeUnknownException e) {
                    op.info(e.getMessage()); // the connection died mid-commit: it may have committed
                } catch (DatabaseException e) {
                    op.fail(e.getMessage()); // rolled back (retries exhausted, lock timeout…)
                }
            }
        });
    }

    private static long value(Connection c, String select, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no counter " + key);
                }
                return rs.getLong(1);
            }
        }
    }
}
