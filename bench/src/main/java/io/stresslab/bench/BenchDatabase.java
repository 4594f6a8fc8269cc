package io.stresslab.bench;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbKind;
import io.stresslab.core.db.PgSettings;
import io.stresslab.stress.harness.DatabaseTarget;

/**
 * The database a benchmark runs on: {@code h2} (embedded, in memory) or {@code postgresql} (a real server from
 * {@code -Dstresslab.pg.url} / {@code STRESSLAB_PG_URL}, a fresh schema per trial). The same stores as the checks.
 */
public final class BenchDatabase {
    private BenchDatabase() {
    }

    public static Database open(String db, String label, int poolSize) {
        DbKind kind = DbKind.fromId(db);
        DatabaseTarget target;
        if (kind == DbKind.H2) {
            target = DatabaseTarget.h2InMemory();
        } else {
            PgSettings pg = PgSettings.configured().orElseThrow(() -> new IllegalStateException(
                    "db=postgresql needs -Dstresslab.pg.url or STRESSLAB_PG_URL"));
            target = DatabaseTarget.postgres(pg.url(), pg.user(), pg.password());
        }
        return Database.open(target.freshConfig(label).withPoolSize(poolSize));
    }
}
