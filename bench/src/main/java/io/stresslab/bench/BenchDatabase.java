package io.stresslab.bench;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbKind;
import io.stresslab.core.db.PgSettings;
import io.stresslab.stress.harness.DatabaseTarget;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database a benchmark runs on: {@code h2} (embedded, in memory) or {@code postgresql} (a real server from
 * {@code -Dstresslab.pg.url} / {@code STRESSLAB_PG_URL}, a fresh schema per trial). The same stores as the checks.
 *
 * <p>On PostgreSQL every trial starts with a {@code CHECKPOINT}: with the server's defaults a spread checkpoint is
 * writing in the background most of the time (5 min apart, spread over 90 % of that), and its writes and final fsync
 * land on whichever fork is running, slowing its commits. After a forced checkpoint the next one is minutes away, so
 * a fork of seconds measures commits alone. A server that refuses it (a user without {@code pg_checkpoint}) runs the
 * trial as it is.
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
        Database database = Database.open(target.freshConfig(label).withPoolSize(poolSize));
        if (kind == DbKind.POSTGRESQL) {
            checkpoint(database);
        }
        return database;
    }

    /** A {@code CHECKPOINT} now, if the server lets this user force one; quietly nothing otherwise. */
    static void checkpoint(Database database) {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (SQLException e) {
            // not a superuser nor in pg_checkpoint: the trial runs with the server's own checkpoints
        }
    }
}
