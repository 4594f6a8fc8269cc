package io.stresslab.stress.mutants;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DatabaseException;
import io.stresslab.core.taos.ActiveTokenExistsException;
import io.stresslab.core.taos.AgentTokenStore;
import io.stresslab.core.taos.IssuedToken;
import io.stresslab.core.taos.TokenSecrets;
import io.stresslab.core.taos.TokenTable;
import io.stresslab.stress.harness.Subject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * TAOS-2's mutation suite: token stores with the mistakes real teams make — each one mistake in an otherwise correct
 * store ({@link LockedByUpdate}: the agent's {@code agent_token_owners} row locked by an UPDATE, then check and
 * write in the same transaction) — and that store itself as the correct implementation that differs from ours. Each
 * is a public class with the contract's {@code (Database, TokenTable, Clock)} constructor.
 */
public final class Taos2Mutants {
    private static final String BUG = "TAOS-2";

    private Taos2Mutants() {
    }

    public static List<Subject<AgentTokenStore>> mutants() {
        return List.of(
                Subject.mutant(BUG, AgentTokenStore.class, CheckThenInsertWithoutLock.class),
                Subject.mutant(BUG, AgentTokenStore.class, IssueRotatesInstead.class),
                Subject.mutant(BUG, AgentTokenStore.class, RotateRefusesWhileActive.class));
    }

    public static List<Subject<AgentTokenStore>> alternatives() {
        return List.of(Subject.alternative(BUG, AgentTokenStore.class, LockedByUpdate.class));
    }

    /** Correct: every change is one transaction that first locks the agent's owner row with an UPDATE. */
    public static class LockedByUpdate implements AgentTokenStore {
        protected final Database db;
        protected final TokenTable table;
        protected final Clock clock;

        public LockedByUpdate(Database db, TokenTable table, Clock clock) {
            this.db = db;
            this.table = table;
            this.clock = clock;
        }

        @Override
        public IssuedToken issue(String agentId) {
            return locked(agentId, c -> {
                if (!activeHashes(c, agentId).isEmpty()) {
                    throw new ActiveTokenExistsException(agentId);
                }
                return insert(c, agentId);
            });
        }

        @Override
        public IssuedToken rotate(String agentId) {
            return locked(agentId, c -> {
                revokeActive(c, agentId);
                return insert(c, agentId);
            });
        }

        @Override
        public int revoke(String agentId) {
            return locked(agentId, c -> revokeActive(c, agentId));
        }

        @Override
        public boolean validate(String agentId, String secret) {
            boolean valid = false;
            for (String hash : db.autoCommit(c -> activeHashes(c, agentId))) {
                valid |= secret != null && TokenSecrets.matches(secret, hash);
            }
            return valid;
        }

        protected <T> T locked(String agentId, Database.TxWork<T> work) {
            AgentTokenStore.requireAgentId(agentId);
            db.upsert("agent_token_owners", List.of("agent_id"), List.of(), List.of(), agentId);
            try {
                return db.inTransaction(c -> {
                    lock(c, agentId);
                    return work.run(c);
                });
            } catch (DatabaseException e) {
                if (e.getCause() instanceof SQLException s && db.dialect().isUniqueViolation(s)) {
                    throw new ActiveTokenExistsException(agentId);
                }
                throw e;
            }
        }

        protected void lock(Connection c, String agentId) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE agent_token_owners SET agent_id = ? WHERE agent_id = ?")) {
                ps.setString(1, agentId);
                ps.setString(2, agentId);
                ps.executeUpdate();
            }
        }

        protected int revokeActive(Connection c, String agentId) throws SQLException {
            return table.revokeActive(c, agentId, clock.instant());
        }

        protected IssuedToken insert(Connection c, String agentId) throws SQLException {
            return table.insert(c, agentId, clock.instant());
        }

        protected List<String> activeHashes(Connection c, String agentId) throws SQLException {
            return table.activeHashes(c, agentId);
        }
    }

    /** One transaction per change, but nothing locks the agent: two workers both see no token and both insert. */
    public static final class CheckThenInsertWithoutLock extends LockedByUpdate {
        public CheckThenInsertWithoutLock(Database db, TokenTable table, Clock clock) {
            super(db, table, clock);
        }

        @Override
        protected void lock(Connection c, String agentId) {
        }
    }

    /** {@code issue} revokes and reissues like {@code rotate}: every concurrent issue wins. */
    public static final class IssueRotatesInstead extends LockedByUpdate {
        public IssueRotatesInstead(Database db, TokenTable table, Clock clock) {
            super(db, table, clock);
        }

        @Override
        public IssuedToken issue(String agentId) {
            return rotate(agentId);
        }
    }

    /** {@code rotate} refuses while a token is active (it reuses issue's check): a rotation is never serialized. */
    public static final class RotateRefusesWhileActive extends LockedByUpdate {
        public RotateRefusesWhileActive(Database db, TokenTable table, Clock clock) {
            super(db, table, clock);
        }

        @Override
        public IssuedToken rotate(String agentId) {
            return issue(agentId);
        }
    }
}
