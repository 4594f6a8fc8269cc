package io.stresslab.core.kagent;

import io.stresslab.core.db.DatabaseException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/**
 * KAGENT-2 after, correct on PostgreSQL too: the delete-and-insert transaction first locks the server's
 * {@code tool_servers} row with {@code SELECT … FOR UPDATE}, so refreshes of one server are serialized. The second
 * refresh waits for the first to commit, and its DELETE — a new statement, hence a new READ COMMITTED snapshot — then
 * sees and removes the first one's rows. Refreshes of different servers do not wait for each other.
 */
public final class ServerLockedToolRefresh implements ToolSetRefresh {
    private final KagentStore store;

    public ServerLockedToolRefresh(KagentStore store) {
        this.store = store;
    }


    @Override
    public void refresh(ToolServer server, List<McpTool> tools) {
        store.database().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name FROM tool_servers WHERE name = ? AND group_kind = ? FOR UPDATE")) {
                ps.setString(1, server.name());
                ps.setString(2, server.groupKind());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new DatabaseException("tool server " + server.name() + " (" + server.groupKind()
                                + ") is not stored; store it before refreshing its tools");
                    }
                }
            }
            KagentStore.deleteTools(c, server);
            KagentStore.insertTools(c, server, tools);
            return null;
        });
    }
}
