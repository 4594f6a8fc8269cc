package io.stresslab.core.taos;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DatabaseException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * TAOS-2 after: the database decides. On the table with the one-active-token index, {@code issue} is a single
 * autocommitted INSERT: the index refuses a second active token whoever inserts it, so the statement needs no lock —
 * PostgreSQL's unique check waits for an in-flight rotation and then decides against its outcome. Every other change
 * to an agent's tokens (and {@code issue} on a table without the index, where nothing else would refuse) is one
 * transaction that first creates (if absent) and locks the agent's row in {@code agent_token_owners}
 * ({@code SELECT … FOR UPDATE}, the same statement on H2 and PostgreSQL), so writers on any connection or process
 * serialize per agent. {@code issue} refuses while a token is active; {@code rotate} revokes and issues atomically. A constraint hit surfaces as {@link ActiveTokenExistsException}, never
 * as a raw SQL error, and a failed operation leaves no partial rows.
 */
public final class SerializedTokenStore extends TokenStoreBase {
    private static final String OWNERS = "agent_token_owners";

    private final String ownerUpsert;

    public SerializedTokenStore(Database db, TokenTable table, Clock clock) {
        super(db, table, clock);
        this.ownerUpsert = db.dialect().upsert(OWNERS, List.of("agent_id"), List.of(), List.of());
    }

    @Override
    public IssuedToken issue(String agentId) {
        if (table.refusesSecondActiveToken()) {
            AgentTokenStore.requireAgentId(agentId);
            try {
                return db.inAutoCommitChecked(c -> table.insert(c, agentId, clock.instant()));
            } catch (SQLException e) {
                if (db.dialect().isUniqueViolation(e)) {
                    throw new ActiveTokenExistsException(agentId);
                }
                throw new DatabaseException(e.getMessage(), e);
            }
        }
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

    /**
     * Runs {@code work} in one transaction holding the agent's row lock; maps a constraint hit to the typed error. The
     * row to lock must exist first: an idempotent insert of the key alone (ON CONFLICT DO NOTHING / MERGE) in the same
     * transaction, one commit for both.
     */
    private <T> T locked(String agentId, Database.TxWork<T> work) {
        AgentTokenStore.requireAgentId(agentId);
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(ownerUpsert)) {
                    ps.setString(1, agentId);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    // H2's MERGE can lose a race to insert the same key (23505); the winner's row is there now, and a
                    // failed statement does not abort an H2 transaction. PostgreSQL's ON CONFLICT never raises it.
                    if (!db.dialect().isUniqueViolation(e)) {
                        throw e;
                    }
                }
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
