package io.stresslab.core.taos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The two token tables of migration V2 and the statements both token stores share. Only the schema differs: the
 * indexed table enforces one active token per agent (PostgreSQL's partial unique index, H2's flag emulation), the
 * other does not, which is the schema under which TAOS-2's before variant ends with two active tokens. The statements
 * are public so that any {@link AgentTokenStore} can use them inside its own transactions.
 */
public enum TokenTable {
    /** {@code agent_tokens}, with {@code uniq_agent_active_token}. */
    WITH_ACTIVE_INDEX("agent_tokens"),
    /** {@code agent_tokens_without_index}: the same columns, no one-active-token rule. */
    WITHOUT_ACTIVE_INDEX("agent_tokens_without_index");

    private final String table;

    TokenTable(String table) {
        this.table = table;
    }

    public String tableName() {
        return table;
    }

    /** Whether the schema itself refuses a second active token of one agent (SQLSTATE 23505 on the INSERT). */
    public boolean refusesSecondActiveToken() {
        return this == WITH_ACTIVE_INDEX;
    }

    /** Revokes the agent's active token(s); returns how many rows were revoked. */
    public int revokeActive(Connection c, String agentId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
                + " SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL")) {
            ps.setObject(1, utc(now));
            ps.setString(2, agentId);
            return ps.executeUpdate();
        }
    }

    /** Inserts a new active token for the agent, holding only the hash of a fresh secret. */
    public IssuedToken insert(Connection c, String agentId, Instant now) throws SQLException {
        String secret = TokenSecrets.newSecret();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " (agent_id, token_hash, issued_at) VALUES (?, ?, ?)", new String[] {"id"})) {
            ps.setString(1, agentId);
            ps.setString(2, TokenSecrets.hash(secret));
            ps.setObject(3, utc(now));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new IssuedToken(agentId, keys.getLong(1), secret);
            }
        }
    }

    /** The hashes of the agent's active tokens (more than one only where the schema lets a race through). */
    public List<String> activeHashes(Connection c, String agentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT token_hash FROM " + table
                + " WHERE agent_id = ? AND revoked_at IS NULL")) {
            ps.setString(1, agentId);
            List<String> hashes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hashes.add(rs.getString(1));
                }
            }
            return hashes;
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
