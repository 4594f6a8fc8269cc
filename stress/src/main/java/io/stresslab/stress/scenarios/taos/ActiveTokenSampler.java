package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.Database;
import io.stresslab.core.taos.TokenTable;
import io.stresslab.stress.harness.Watchdog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/** A reader that samples a token table for an agent with several active tokens while TAOS-2's workers race. */
final class ActiveTokenSampler implements AutoCloseable {
    private static final int EVIDENCE_ROWS = 10;
    final LongAdder samples = new LongAdder();
    /** The first agent seen with several active tokens; {@link #firstSightingNanos} says when. */
    final AtomicReference<String> firstRows = new AtomicReference<>();
    private volatile long firstSightingNanos; // written before firstRows is set
    private volatile boolean stop;
    private final Thread thread;

    private ActiveTokenSampler(Database db, TokenTable table) {
        thread = Threads.daemon("taos-active-token-sampler", () -> {
            while (!stop) {
                List<String> rows = activeRows(db, table, "HAVING COUNT(*) > 1");
                samples.increment();
                if (!rows.isEmpty() && firstRows.get() == null) {
                    firstSightingNanos = System.nanoTime();
                    firstRows.set(rows.get(0));
                }
                LockSupport.parkNanos(200_000);
            }
        });
    }

    static ActiveTokenSampler start(Database db, TokenTable table) {
        ActiveTokenSampler s = new ActiveTokenSampler(db, table);
        s.thread.start();
        return s;
    }

    /** The first sighting and when it was sampled ({@link System#nanoTime()} {@code t0} = 0), or null. */
    String sighting(long t0) {
        String rows = firstRows.get();
        return rows == null ? null : rows + ", sampled " + (firstSightingNanos - t0) / 1_000_000
                + " ms into the run";
    }

    @Override
    public void close() {
        stop = true;
        Watchdog.Outcome<Void> o = Watchdog.awaitThread("active-token sampler", Duration.ofSeconds(30), thread);
        if (o.timedOut()) {
            thread.interrupt();
            throw new IllegalStateException(o.describe());
        }
    }

    /** Agents' active token rows (id, issue time; never the hash) grouped by a HAVING clause. */
    static List<String> activeRows(Database db, TokenTable table, String having) {
        return db.autoCommit(c -> {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT agent_id, COUNT(*), MIN(id), MAX(id) FROM "
                    + table.tableName() + " WHERE revoked_at IS NULL GROUP BY agent_id " + having
                    + " ORDER BY agent_id")) {
                ps.setMaxRows(EVIDENCE_ROWS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getString(1) + ": " + rs.getInt(2) + " active tokens (ids " + rs.getLong(3)
                                + ".." + rs.getLong(4) + ")");
                    }
                }
            }
            return rows;
        });
    }

}
