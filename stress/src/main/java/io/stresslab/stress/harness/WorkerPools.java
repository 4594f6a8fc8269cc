package io.stresslab.stress.harness;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * One fresh database (H2) or schema (PostgreSQL) and several connection pools onto it: each pool stands in for a worker
 * process in one JVM (nothing is shared between workers but the database, which is all a real worker shares). {@link #crash} closes a worker's pool abruptly, as a killed process would vanish.
 */
public final class WorkerPools implements AutoCloseable {
    private final Database main;
    private final List<Database> workers = new ArrayList<>();

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
                pools.workers.add(Database.open(shared));
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
