package io.stresslab.core.db;

import java.util.Optional;

/**
 * The one place that reads which PostgreSQL server to use: system property {@code stresslab.pg.url}, else environment
 * {@code STRESSLAB_PG_URL}; the user from {@code stresslab.pg.user} / {@code STRESSLAB_PG_USER} (default
 * {@code postgres}); the password from {@code stresslab.pg.password} / {@code STRESSLAB_PG_PASSWORD} (default empty).
 * The build's tests, the conformance kit, the benchmarks and the command line's defaults all read it here.
 */
public record PgSettings(String url, String user, String password) {
    public static final String URL_PROPERTY = "stresslab.pg.url";
    public static final String USER_PROPERTY = "stresslab.pg.user";
    public static final String PASSWORD_PROPERTY = "stresslab.pg.password";

    /** The configured server, or empty when no URL is set. */
    public static Optional<PgSettings> configured() {
        String url = setting(URL_PROPERTY, "STRESSLAB_PG_URL");
        if (url == null) {
            return Optional.empty();
        }
        return Optional.of(new PgSettings(url, configuredUser(), configuredPassword()));
    }

    /** The configured user, or {@code postgres}. */
    public static String configuredUser() {
        return Optional.ofNullable(setting(USER_PROPERTY, "STRESSLAB_PG_USER")).orElse("postgres");
    }

    /** The configured password, or empty. */
    public static String configuredPassword() {
        return Optional.ofNullable(setting(PASSWORD_PROPERTY, "STRESSLAB_PG_PASSWORD")).orElse("");
    }

    public DbConfig config() {
        return DbConfig.of(url, user, password);
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
