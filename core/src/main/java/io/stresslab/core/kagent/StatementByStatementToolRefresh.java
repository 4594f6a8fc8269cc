package io.stresslab.core.kagent;

import io.stresslab.core.db.Database;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * KAGENT-2 before: the pre-fix refresh. It lists the server's existing tools, upserts each new one, then deletes the
 * leftovers, every statement auto-committed on its own. Two overlapping refreshes with different tool sets interleave
 * their statements and leave a mixture (typically the union, since each deletes only what it listed before the other
 * inserted), and a concurrent reader can see a half-replaced set.
 */
public final class StatementByStatementToolRefresh implements ToolSetRefresh {
    private final KagentStore store;

    public StatementByStatementToolRefresh(KagentStore store) {
        this.store = store;
    }


    @Override
    public void refresh(ToolServer server, List<McpTool> tools) {
        Database db = store.database();
        Set<String> existing = store.toolIds(server);
        Set<String> keep = new HashSet<>();
        for (McpTool t : tools) {
            db.upsert("tools", List.of("id", "server_name", "group_kind"), List.of("description"),
                    List.of("created_at", "updated_at"), t.id(), server.name(), server.groupKind(), t.description());
            keep.add(t.id());
        }
        for (String id : existing) {
            if (!keep.contains(id)) {
                db.inTransaction(c -> KagentStore.update(c,
                        "DELETE FROM tools WHERE id = ? AND server_name = ? AND group_kind = ?",
                        id, server.name(), server.groupKind()));
            }
        }
    }
}
