package io.stresslab.core.orch;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;

/** Small JDBC helpers shared by the orchestrator's database classes. */
final class Jdbc {
    private Jdbc() {
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, params);
            return ps.executeUpdate();
        }
    }

    static long queryLong(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, params);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no row for: " + sql);
                }
                return rs.getLong(1);
            }
        }
    }

    /**
     * Runs {@code insert} in its own transaction; a unique-key violation (another owner's row is there, or is being
     * inserted right now) means "not granted" and gives empty. Any other failure surfaces.
     */
    static <T> Optional<T> insertUnlessPresent(Database db, Database.TxWork<Optional<T>> insert) {
        try {
            return db.inTransactionChecked(insert);
        } catch (SQLException e) {
            if (db.dialect().isUniqueViolation(e)) {
                return Optional.empty();
            }
            throw new DatabaseException(e.getMessage(), e);
        }
    }
}
