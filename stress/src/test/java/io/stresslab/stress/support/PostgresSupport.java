package io.stresslab.stress.support;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.stress.harness.DatabaseTarget;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Picks the PostgreSQL server for the build's tests, in this order: a JDBC URL from {@code -Dstresslab.pg.url} or
 * {@code STRESSLAB_PG_URL} (user/password from {@code stresslab.pg.user}/{@code STRESSLAB_PG_USER}, default postgres,
 * and {@code stresslab.pg.password}/{@code STRESSLAB_PG_PASSWORD}); a Testcontainers PostgreSQL 15 when a Docker engine
 * is available; otherwise none, with the reason. Under {@code CI=true} a missing PostgreSQL fails the build.
 */
public final class PostgresSupport {
    private static volatile Resolution resolution;

    private PostgresSupport() {
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

    public static boolean requiredHere() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private record Resolution(DatabaseTarget target, String reason) {
    }

    private static Resolution resolve() {
        String url = setting("stresslab.pg.url", "STRESSLAB_PG_URL");
        String user = Optional.ofNullable(setting("stresslab.pg.user", "STRESSLAB_PG_USER")).orElse("postgres");
        String password = Optional.ofNullable(setting("stresslab.pg.password", "STRESSLAB_PG_PASSWORD")).orElse("");
        if (url != null) {
            DatabaseTarget t = DatabaseTarget.postgres(url, user, password);
            // fail early, with the one-line reason, if the configured server is unreachable
            try {
                Database.verifyReachable(DbConfig.of(url, user, password));
                return new Resolution(t, "configured " + t.describe());
            } catch (RuntimeException e) {
                return new Resolution(null, "configured PostgreSQL is unusable: " + e.getMessage());
            }
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stresslab-pg-container-stop"));
            return new Resolution(DatabaseTarget.postgres(container.getJdbcUrl(), container.getUsername(),
                    container.getPassword()), "Testcontainers PostgreSQL 15");
        }
        return new Resolution(null, "no PostgreSQL: set -Dstresslab.pg.url or STRESSLAB_PG_URL "
                + "(no Docker engine for Testcontainers either)");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
