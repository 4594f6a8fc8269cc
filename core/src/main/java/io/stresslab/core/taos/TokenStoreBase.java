package io.stresslab.core.taos;

import io.stresslab.core.db.Database;
import java.time.Clock;
import java.util.Objects;

/** What both token stores share: the table, the clock, and validation of a presented secret. */
abstract class TokenStoreBase implements AgentTokenStore {
    final Database db;
    final TokenTable table;
    final Clock clock;

    TokenStoreBase(Database db, TokenTable table, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean validate(String agentId, String secret) {
        AgentTokenStore.requireAgentId(agentId);
        if (secret == null || secret.isEmpty()) {
            return false;
        }
        boolean valid = false;
        for (String hash : db.autoCommit(c -> table.activeHashes(c, agentId))) {
            valid |= TokenSecrets.matches(secret, hash); // no early exit: time does not depend on which one matched
        }
        return valid;
    }
}
