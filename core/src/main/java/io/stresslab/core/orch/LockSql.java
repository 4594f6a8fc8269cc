package io.stresslab.core.orch;

import io.stresslab.core.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Small JDBC helpers shared by the orchestrator's database classes. */
final class LockSql {
    private LockSql() {
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
}
