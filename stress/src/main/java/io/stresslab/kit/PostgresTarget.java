package io.stresslab.kit;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.PgSettings;
import io.stresslab.stress.harness.DatabaseTarget;
import java.util.Optional;

/**
 * Picks the PostgreSQL server for the build's tests and the kit, in this order: the configured one
 * ({@link PgSettings}: {@code -Dstresslab.pg.url} or {@code STRESSLAB_PG_URL}); a Testcontainers PostgreSQL 15 when
 * {@code org.testcontainers:testcontainers-postgresql} is on the class path and a Docker engine answers; otherwise
 * none, with the reason. Under {@code CI=true} a missing PostgreSQL is an error, not a skip.
 */
public final class PostgresTarget {
    private static volatile Resolution resolution;

    private PostgresTarget() {
    }

    /** The resolved target, or empty with {@link #reason()} saying why. */
    public static synchronized Optional<DatabaseTarget> target() {
        if (resolution == null) {
            resolution = resolve();
        }
        return Optional.ofNullable(resolution.target);
    }

    public static String reason() {
        target();
        return resolution.reason;
    }

    /** Whether a missing PostgreSQL must fail the build ({@code CI=true}). */
    public static boolean requiredHere() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private record Resolution(DatabaseTarget target, String reason) {
    }

    private static Resolution resolve() {
        Optional<PgSettings> configured = PgSettings.configured();
        if (configured.isPresent()) {
            PgSettings pg = configured.get();
            DatabaseTarget t = DatabaseTarget.postgres(pg.url(), pg.user(), pg.password());
            try { // fail early, with the one-line reason, if the configured server is unreachable
                Database.verifyReachable(pg.config());
                return new Resolution(t, "configured " + t.describe());
            } catch (RuntimeException e) {
                return new Resolution(null, "configured PostgreSQL is unusable: " + e.getMessage());
            }
        }
        try {
            return Containers.start();
        } catch (LinkageError e) {
            return new Resolution(null, "no PostgreSQL: set -Dstresslab.pg.url or STRESSLAB_PG_URL (Testcontainers "
                    + "is not on the class path)");
        }
    }

    /** Kept apart so that a class path without Testcontainers fails only here, with a LinkageError. */
    private static final class Containers {
        static Resolution start() {
            boolean docker;
            try {
                docker = org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException e) {
                docker = false;
            }
            if (!docker) {
                return new Resolution(null, "no PostgreSQL: set -Dstresslab.pg.url or STRESSLAB_PG_URL "
                        + "(no Docker engine for Testcontainers either)");
            }
            org.testcontainers.postgresql.PostgreSQLContainer container =
                    new org.testcontainers.postgresql.PostgreSQLContainer("postgres:15-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stresslab-pg-container-stop"));
            return new Resolution(DatabaseTarget.postgres(container.getJdbcUrl(), container.getUsername(),
                    container.getPassword()), "Testcontainers PostgreSQL 15");
        }
    }
}
