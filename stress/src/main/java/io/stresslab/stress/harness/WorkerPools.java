package io.stresslab.stress.harness;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.db.DbKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One fresh database (H2) or schema (PostgreSQL) and several connection pools onto it: each pool stands in for a worker
 * process in one JVM (nothing is shared between workers but the database, which is all a real worker shares).
 * {@link #crash} closes a worker's pool abruptly, as a killed process would vanish.
 */
public final class WorkerPools implements AutoCloseable {
    private final Database main;
    private final List<Database> workers = new ArrayList<>();
    /** The workers' sessions show as {@code <tag>-w<i>} in pg_stat_activity: this check's, not a concurrent one's. */
    private final String tag = "stresslab-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);

    private WorkerPools(Database main) {
        this.main = main;
    }

    /** {@code count} worker pools of {@code poolSize} connections each, plus the checker's own pool. */
    public static WorkerPools open(CheckContext ctx, int count, int poolSize) {
        DbConfig config = ctx.target().freshConfig(ctx.spec().bug() + "_" + ctx.spec().variant());
        WorkerPools pools = new WorkerPools(Database.open(config));
        try {
            // workers must not drop the PostgreSQL schema when they close; the checker's pool does, last
            DbConfig shared = config.withSchema(config.schema(), false).withPoolSize(poolSize);
            for (int i = 0; i < count; i++) {
                pools.workers.add(Database.open(shared, pools.tag + "-w" + i));
            }
            return pools;
        } catch (RuntimeException e) {
            pools.close();
            throw e;
        }
    }

    /** The checker's pool: seeding and auditing only. */
    public Database checker() {
        return main;
    }

    public Database worker(int i) {
        return workers.get(i);
    }

    /** Transaction attempts retried for transient failures (40001, 40P01, H2 lock timeout…), over every pool. */
    public long transientRetries() {
        return main.retries() + workers.stream().mapToLong(Database::retries).sum();
    }

    public int size() {
        return workers.size();
    }

    /**
     * The workers' sessions waiting, right now, on a lock another session holds, one line each, as the server itself
     * reports them: PostgreSQL's {@code pg_stat_activity} (wait event type {@code Lock}, blockers from
     * {@code pg_blocking_pids}), H2's {@code INFORMATION_SCHEMA.SESSIONS} ({@code BLOCKER_ID}; every session of the
     * check's fresh database is the check's). A wait seen in several samples in a row is a wait on a peer, seen as
     * it forms instead of at a deadline.
     */
    public List<String> lockWaits() {
        return main.autoCommit(c -> {
            List<String> waits = new ArrayList<>();
            String sql = main.kind() == DbKind.POSTGRESQL
                    ? "SELECT a.application_name, (SELECT string_agg(b.application_name || ' (pid ' || b.pid || ')',"
                            + " ', ') FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(a.pid))),"
                            + " left(a.query, 160) FROM pg_stat_activity a WHERE a.wait_event_type = 'Lock'"
                            + " AND left(a.application_name, ?) = ? ORDER BY a.pid"
                    : "SELECT 'session ' || SESSION_ID, 'session ' || BLOCKER_ID, LEFT(EXECUTING_STATEMENT, 160)"
                            + " FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL ORDER BY SESSION_ID";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (main.kind() == DbKind.POSTGRESQL) {
                    ps.setInt(1, tag.length());
                    ps.setString(2, tag);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        waits.add(rs.getString(1) + " waits on a lock held by " + rs.getString(2) + ": "
                                + rs.getString(3));
                    }
                }
            }
            return waits;
        });
    }

    /**
     * Watches {@link #lockWaits} for a wait that has formed: {@link LockWaitWatch#formed} turns true once the same
     * sessions have waited in {@code samples} samples in a row, taken at most every
     * {@value LockWaitWatch#PERIOD_MILLIS} ms (a lock held for a moment by a correct peer clears before that). For
     * {@link Watchdog#awaitCondition}.
     */
    public LockWaitWatch lockWaitWatch(int samples) {
        return new LockWaitWatch(samples);
    }

    /** See {@link #lockWaitWatch}. Polled by one thread. */
    public final class LockWaitWatch {
        static final long PERIOD_MILLIS = 5;
        private final int samples;
        private long nextNanos;
        private int inARow;
        private List<String> waits = List.of();

        private LockWaitWatch(int samples) {
            this.samples = samples;
        }

        public boolean formed() {
            long now = System.nanoTime();
            if (inARow >= samples || now - nextNanos < 0) {
                return inARow >= samples;
            }
            nextNanos = now + PERIOD_MILLIS * 1_000_000;
            List<String> seen = lockWaits();
            inARow = seen.isEmpty() ? 0 : seen.equals(waits) || inARow == 0 ? inARow + 1 : 1;
            waits = seen;
            return inARow >= samples;
        }

        /** The waits of the last sample (what formed, once {@link #formed}). */
        public List<String> waits() {
            return waits;
        }
    }

    /** The worker's process dies: its pool closes without releasing anything it holds in the database. */
    public void crash(int i) {
        workers.get(i).close();
    }

    @Override
    public void close() {
        workers.forEach(Database::close);
        main.close();
    }
}
