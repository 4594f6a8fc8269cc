package io.stresslab.core.kagent;

import java.util.List;

/**
 * KAGENT-2 as merged (PR #1214): one transaction that deletes the server's tools and inserts the new set. A reader
 * now sees either the old or the new set, but two overlapping refreshes are not serialized: on PostgreSQL READ
 * COMMITTED each transaction's DELETE removes only rows committed before it started waiting, so both inserts survive
 * and the server ends with the union of the two sets. The merged code relied on SQLite's single writer.
 */
public final class DeleteInsertTransactionToolRefresh implements ToolSetRefresh {
    private final KagentStore store;

    public DeleteInsertTransactionToolRefresh(KagentStore store) {
        this.store = store;
    }


    @Override
    public void refresh(ToolServer server, List<McpTool> tools) {
        store.database().inTransaction(c -> {
            KagentStore.deleteTools(c, server);
            KagentStore.insertTools(c, server, tools);
            return null;
        });
    }
}
