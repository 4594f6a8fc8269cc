package com.example.tools;

import io.stresslab.core.db.Database;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.core.kagent.ToolSetRefresh;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Correct, written from the documented schema (tables {@code tool_servers} and {@code tools}): one transaction that
 * first locks the server's row, so refreshes of one server take turns, then replaces its tool set.
 */
public final class LockingRefresh implements ToolSetRefresh {
    private final Database db;

    public LockingRefresh(Database db) {
        this.db = db;
    }

    @Override
    public void refresh(ToolServer server, List<McpTool> tools) {
        db.inTransaction(c -> {
            execute(c, "SELECT name FROM tool_servers WHERE name = ? AND group_kind = ? FOR UPDATE", server);
            replace(c, server, tools);
            return null;
        });
    }

    static void replace(Connection c, ToolServer server, List<McpTool> tools) throws SQLException {
        execute(c, "DELETE FROM tools WHERE server_name = ? AND group_kind = ?", server);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tools (id, server_name, group_kind, description,"
                + " created_at, updated_at) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
            for (McpTool t : tools) {
                ps.setString(1, t.id());
                ps.setString(2, server.name());
                ps.setString(3, server.groupKind());
                ps.setString(4, t.description());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void execute(Connection c, String sql, ToolServer server) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, server.name());
            ps.setString(2, server.groupKind());
            ps.execute();
        }
    }
}
