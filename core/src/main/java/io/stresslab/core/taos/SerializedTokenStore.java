package io.stresslab.core.taos;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;

/**
 * TAOS-2 after: the database decides. Every change to an agent's tokens is one transaction that first creates (if
 * absent) and row-locks the agent's row in {@code agent_token_owners} with ONE statement
 * ({@link io.stresslab.core.db.Dialect#insertOrLock}: an upsert whose conflict branch updates, so it locks), so
 * writers on any connection or process serialize per agent, and every time they record is taken inside that order.
 * {@code issue} refuses while a token is active — on the table with the one-active-token index the INSERT's own
 * violation says so (no SELECT first), on the table without it a SELECT of the active tokens; {@code rotate} revokes
 * and issues atomically. A constraint hit surfaces as {@link ActiveTokenExistsException}, never as a raw SQL error,
 * and a failed operation leaves no partial rows.
 *
 * <p>Why {@code issue} is not a lone INSERT guarded by the index, though the index would refuse a second active token:
 * an unlocked INSERT that commits between a rotation's revoke and its insert makes the rotation fail with the typed
 * refusal (a rotation must serialize, never be refused), and its issue time is taken outside the per-agent order.
 * The multi-worker check on the indexed table ({@code worker-jvms-faults-with-index}) caught both.
 */
public final class SerializedTokenStore extends TokenStoreBase {
    private static final String OWNERS = "agent_token_owners";
    private static final int MERGE_ATTEMPTS = 3;

    private final String lockOwner;

    public SerializedTokenStore(Database db, TokenTable table, Clock clock) {
        super(db, table, clock);
        this.lockOwner = db.dialect().insertOrLock(OWNERS, "agent_id");
    }

    @Override
    public IssuedToken issue(String agentId) {
        return locked(agentId, c -> {
            if (!table.refusesSecondActiveToken() && !table.activeHashes(c, agentId).isEmpty()) {
                throw new ActiveTokenExistsException(agentId);
            }
            return table.insert(c, agentId, clock.instant()); // with the index: 23505 if one is active
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
        try {
            return db.inTransaction(c -> {
                lockOwnerRow(c, agentId);
                return work.run(c);
            });
        } catch (DatabaseException e) {
            if (e.getCause() instanceof SQLException s && db.dialect().isUniqueViolation(s)) {
                throw new ActiveTokenExistsException(agentId);
            }
            throw e;
        }
    }

    /** Creates the agent's owner row if needed and locks it, in one statement (H2: again if it lost an insert race). */
    private void lockOwnerRow(Connection c, String agentId) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (PreparedStatement ps = c.prepareStatement(lockOwner)) {
                ps.setString(1, agentId);
                ps.executeUpdate();
                return;
            } catch (SQLException e) {
                // H2's MERGE can lose a race to insert the same key (23505); a failed statement does not abort an H2
                // transaction, and the winner's row is there now. PostgreSQL's ON CONFLICT never raises it.
                if (!db.dialect().isUniqueViolation(e) || attempt >= MERGE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
