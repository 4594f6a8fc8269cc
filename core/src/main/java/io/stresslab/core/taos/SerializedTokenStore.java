package io.stresslab.core.taos;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DatabaseException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * TAOS-2 after: the database decides. Every change to an agent's tokens is one transaction that first locks the
 * agent's row in {@code agent_token_owners} ({@code SELECT … FOR UPDATE}, the same statement on H2 and PostgreSQL),
 * so issuers on any connection or process serialize per agent. {@code issue} refuses while a token is active;
 * {@code rotate} revokes and issues atomically. A constraint hit surfaces as {@link ActiveTokenExistsException}, never
 * as a raw SQL error, and a failed operation leaves no partial rows.
 */
public final class SerializedTokenStore extends TokenStoreBase {
    private static final String OWNERS = "agent_token_owners";

    public SerializedTokenStore(Database db, TokenTable table, Clock clock) {
        super(db, table, clock);
    }

    @Override
    public IssuedToken issue(String agentId) {
        return locked(agentId, c -> {
            if (!table.activeHashes(c, agentId).isEmpty()) {
                throw new ActiveTokenExistsException(agentId);
            }
            return table.insert(c, agentId, clock.instant());
        });
    }

    @Override
    public IssuedToken rotate(String agentId) {
        return locked(agentId, c -> {
            table.revokeActive(c, agentId, clock.instant());
            return table.insert(c, agentId, clock.instant());
        });
    }

    @Override
    public int revoke(String agentId) {
        return locked(agentId, c -> table.revokeActive(c, agentId, clock.instant()));
    }

    /** Runs {@code work} in one transaction holding the agent's row lock; maps a constraint hit to the typed error. */
    private <T> T locked(String agentId, Database.TxWork<T> work) {
        AgentTokenStore.requireAgentId(agentId);
        // the row to lock must exist first; an idempotent upsert of the key alone (ON CONFLICT DO NOTHING / MERGE)
        db.upsert(OWNERS, List.of("agent_id"), List.of(), List.of(), agentId);
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT agent_id FROM " + OWNERS + " WHERE agent_id = ? FOR UPDATE")) {
                    ps.setString(1, agentId);
                    ps.executeQuery().close();
                }
                return work.run(c);
            });
        } catch (DatabaseException e) {
            if (e.getCause() instanceof SQLException s && db.dialect().isUniqueViolation(s)) {
                throw new ActiveTokenExistsException(agentId);
            }
            throw e;
        }
    }
}
