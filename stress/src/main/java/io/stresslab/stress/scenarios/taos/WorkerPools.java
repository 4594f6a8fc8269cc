package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.stress.harness.CheckContext;
import java.util.ArrayList;
import java.util.List;

/**
 * N connection pools on one fresh database (H2) or schema (PostgreSQL): stand-ins for N worker processes, each with its
 * own pool and its own store instances, sharing nothing but the database — which is all a real worker shares.
 */
final class WorkerPools implements AutoCloseable {
    private static final int POOL_SIZE = 4;
    private final List<Database> pools;

    private WorkerPools(List<Database> pools) {
        this.pools = pools;
    }

    static WorkerPools open(CheckContext ctx, int workers) {
        DbConfig config = ctx.target().freshConfig(ctx.spec().bug() + "_" + ctx.spec().variant())
                .withPoolSize(POOL_SIZE);
        List<Database> pools = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                pools.add(Database.open(config));
            }
        } catch (RuntimeException e) {
            new WorkerPools(pools).close();
            throw e;
        }
        return new WorkerPools(pools);
    }

    Database worker(int i) {
        return pools.get(i);
    }

    int size() {
        return pools.size();
    }

    @Override
    public void close() {
        // every pool shares the schema; the first close drops it on PostgreSQL, so close in reverse, all at the end
        for (int i = pools.size() - 1; i >= 0; i--) {
            pools.get(i).close();
        }
    }
}
