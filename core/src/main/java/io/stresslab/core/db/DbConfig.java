package io.stresslab.core.db;

/**
 * Where and how to connect. {@code schema} (may be null) confines every table to one schema, so concurrent runs
 * against one PostgreSQL database never see each other's rows; {@code dropSchemaOnClose} removes it afterwards.
 */
public record DbConfig(String jdbcUrl, String user, String password, String schema, int poolSize,
                       boolean dropSchemaOnClose) {

    public DbConfig {
        if (poolSize < 1) {
            throw new DatabaseException("pool size must be at least 1, was " + poolSize);
        }
        if (schema != null && !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new DatabaseException("schema name '" + schema + "' must be lower-case letters, digits and _");
        }
    }

    public static DbConfig of(String jdbcUrl, String user, String password) {
        return new DbConfig(jdbcUrl, user, password, null, 8, false);
    }

    public DbConfig withSchema(String newSchema, boolean drop) {
        return new DbConfig(jdbcUrl, user, password, newSchema, poolSize, drop);
    }

    public DbConfig withPoolSize(int size) {
        return new DbConfig(jdbcUrl, user, password, schema, size, dropSchemaOnClose);
    }

    public DbKind kind() {
        return DbKind.fromJdbcUrl(jdbcUrl);
    }
}
