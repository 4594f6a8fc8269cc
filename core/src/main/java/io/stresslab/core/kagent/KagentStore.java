package io.stresslab.core.kagent;

import io.stresslab.core.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The kagent database: agents, tool servers and their tools. {@code storeAgent} and {@code storeToolServer} are
 * single-statement upserts ({@code INSERT … ON CONFLICT DO UPDATE} on PostgreSQL, {@code MERGE} on H2, see
 * {@link io.stresslab.core.db.Dialect#upsert}), idempotent and safe under concurrency. Replacing a server's tool set is
 * left to a {@link ToolSetRefresh} variant: that is where KAGENT-2 lives.
 */
public final class KagentStore implements KagentUpserts {
    /** Longest id the schema accepts (VARCHAR(255)). */
    public static final int MAX_KEY_LENGTH = 255;

    private final Database db;

    public KagentStore(Database db) {
        this.db = db;
    }

    public Database database() {
        return db;
    }

    static void requireKey(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (value.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters; at most "
                    + MAX_KEY_LENGTH + " allowed");
        }
    }

    @Override
    public void storeAgent(Agent agent) {
        db.upsert("agents", List.of("id"), List.of("type", "config"), List.of("created_at", "updated_at"),
                agent.id(), agent.type(), agent.config());
    }

    public boolean deleteAgent(String id) {
        return db.inAutoCommit(c -> update(c, "DELETE FROM agents WHERE id = ?", id)) > 0;
    }

    public Optional<Agent> findAgent(String id) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, type, config FROM agents WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Agent(rs.getString(1), rs.getString(2), rs.getString(3)))
                            : Optional.<Agent>empty();
                }
            }
        });
    }

    public int countAgents() {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM agents");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Override
    public void storeToolServer(ToolServer server) {
        db.upsert("tool_servers", List.of("name", "group_kind"), List.of("description"),
                List.of("created_at", "updated_at"), server.name(), server.groupKind(), server.description());
    }

    public int countToolServers(String name, String groupKind) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM tool_servers WHERE name = ? AND group_kind = ?")) {
                ps.setString(1, name);
                ps.setString(2, groupKind);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Records a successful connection to the server (after its tools were listed). */
    public void markConnected(ToolServer server) {
        db.inAutoCommit(c -> update(c,
                "UPDATE tool_servers SET last_connected = CURRENT_TIMESTAMP WHERE name = ? AND group_kind = ?",
                server.name(), server.groupKind()));
    }

    /** The server's tool ids, read in ONE statement (so a reader sees one committed state). */
    public Set<String> toolIds(ToolServer server) {
        return db.autoCommit(c -> toolIds(c, server));
    }

    /** The server's tool ids, read on {@code c} (inside the caller's transaction). */
    public static Set<String> toolIds(Connection c, ToolServer server) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM tools WHERE server_name = ? AND group_kind = ?")) {
            ps.setString(1, server.name());
            ps.setString(2, server.groupKind());
            try (ResultSet rs = ps.executeQuery()) {
                Set<String> ids = new TreeSet<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                return ids;
            }
        }
    }

    /** Inserts {@code tools} for {@code server} on {@code c}, one batch. */
    public static void insertTools(Connection c, ToolServer server, List<McpTool> tools) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tools (id, server_name, group_kind, description,"
                + " created_at, updated_at) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
            for (McpTool t : tools) {
                Database.bind(ps, t.id(), server.name(), server.groupKind(), t.description());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Deletes every tool of {@code server} on {@code c}; answers how many rows went. */
    public static int deleteTools(Connection c, ToolServer server) throws SQLException {
        return update(c, "DELETE FROM tools WHERE server_name = ? AND group_kind = ?", server.name(),
                server.groupKind());
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, params);
            return ps.executeUpdate();
        }
    }
}
