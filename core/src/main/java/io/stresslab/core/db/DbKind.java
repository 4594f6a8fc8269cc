package io.stresslab.core.db;

import java.util.Locale;

/** The two database engines stresslab runs against. */
public enum DbKind {
    H2("h2", "h2"),
    POSTGRESQL("postgresql", "postgresql");

    private final String id;
    private final String migrationFolder;

    DbKind(String id, String migrationFolder) {
        this.id = id;
        this.migrationFolder = migrationFolder;
    }

    /** The lower-case name used in records, file names and the command line. */
    public String id() {
        return id;
    }

    /** The Flyway location holding this engine's own migrations (beside db/migration/common). */
    public String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    /** Tells the engine from a JDBC URL, or fails with a one-line message. */
    public static DbKind fromJdbcUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new DatabaseException("no JDBC URL given");
        }
        String u = url.trim().toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new DatabaseException("unsupported JDBC URL '" + JdbcUrls.redact(url)
                + "': expected jdbc:h2:… or jdbc:postgresql://host:port/database");
    }

    public static DbKind fromId(String id) {
        for (DbKind k : values()) {
            if (k.id.equalsIgnoreCase(id == null ? "" : id.trim())) {
                return k;
            }
        }
        throw new DatabaseException("unknown database '" + id + "': expected h2 or postgresql");
    }
}
