package io.stresslab.core.taos;

import io.stresslab.core.concurrent.NonReentrantLock;
import io.stresslab.core.db.Database;
import java.time.Clock;

/**
 * TAOS-2 before (taOS Pass 1): {@code rotate} takes an in-process lock, then revokes the agent's active token and
 * inserts a new one as two separate auto-committed statements. The lock belongs to one store instance — one worker
 * process — so two workers both revoke nothing and both insert: two active tokens without the unique index, or a raw
 * constraint violation after the revoke already committed with it. {@code issue} takes the same path, as in Pass 1.
 */
public final class LockedRotateTokenStore extends TokenStoreBase {
    private final NonReentrantLock lock = new NonReentrantLock("agent-tokens-process-lock");

    public LockedRotateTokenStore(Database db, TokenTable table, Clock clock) {
        super(db, table, clock);
    }

    @Override
    public IssuedToken issue(String agentId) {
        return rotate(agentId);
    }

    @Override
    public IssuedToken rotate(String agentId) {
        AgentTokenStore.requireAgentId(agentId);
        lock.lock();
        try {
            db.autoCommit(c -> table.revokeActive(c, agentId, clock.instant()));
            return db.autoCommit(c -> table.insert(c, agentId, clock.instant()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int revoke(String agentId) {
        AgentTokenStore.requireAgentId(agentId);
        lock.lock();
        try {
            return db.autoCommit(c -> table.revokeActive(c, agentId, clock.instant()));
        } finally {
            lock.unlock();
        }
    }
}
