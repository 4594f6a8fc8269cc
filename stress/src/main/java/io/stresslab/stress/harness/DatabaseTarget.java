package io.stresslab.stress.harness;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.db.DbKind;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/**
 * A database server a check may use. Every {@link #freshConfig} names a new, empty, isolated database (H2) or schema
 * (PostgreSQL), so checks and concurrent runs never see each other's rows. Checks open it with
 * {@link Database#open}; worker JVMs open the same config to share it.
 */
public interface DatabaseTarget {
    DbKind kind();

    /** A config for a new isolated database or schema; {@code label} ends up in its name for people reading logs. */
    DbConfig freshConfig(String label);

    /** What to show users (never a password). */
    String describe();

    /** Opens (and migrates) a fresh isolated database for one check. */
    default Database openFresh(String label) {
        return Database.open(freshConfig(label));
    }

    /** Embedded H2 in memory: the default for tests. Not reachable from another JVM. */
    static DatabaseTarget h2InMemory() {
        return new Fixed(DbKind.H2, "embedded H2 (in memory)", label -> DbConfig.of("jdbc:h2:mem:"
                + uniqueName(label) + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", ""));
    }

    /**
     * Embedded H2 files under {@code dir}, opened with AUTO_SERVER so several worker JVMs can share one database:
     * the first opener serves it over loopback TCP to the others.
     */
    static DatabaseTarget h2Files(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        return new Fixed(DbKind.H2, "embedded H2 (files under " + abs + ")", label -> DbConfig.of("jdbc:h2:file:"
                + abs.resolve(uniqueName(label)) + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000", "sa", ""));
    }

    /** A real PostgreSQL server; each fresh config is a new schema there, dropped when the check closes it. */
    static DatabaseTarget postgres(String jdbcUrl, String user, String password) {
        DbKind.fromJdbcUrl(jdbcUrl);
        return new Fixed(DbKind.POSTGRESQL, "PostgreSQL " + io.stresslab.core.db.JdbcUrls.redact(jdbcUrl),
                label -> DbConfig.of(jdbcUrl, user, password).withSchema("sl_" + uniqueName(label), true));
    }

    /** The three targets above: an engine, a description, and how a label becomes a fresh config. */
    record Fixed(DbKind kind, String describe, Function<String, DbConfig> configs) implements DatabaseTarget {
        @Override
        public DbConfig freshConfig(String label) {
            return configs.apply(label);
        }
    }

    private static String uniqueName(String label) {
        String clean = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        if (clean.length() > 30) {
            clean = clean.substring(0, 30);
        }
        return clean + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
