package com.example.tools;

import io.stresslab.core.db.Database;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.core.kagent.ToolSetRefresh;
import java.util.List;

/**
 * Deliberately wrong: delete and insert in one transaction but without locking the server first — two overlapping
 * refreshes can leave the union of both sets (READ COMMITTED), the KAGENT-2 fix as it was first merged.
 */
public final class UnlockedRefresh implements ToolSetRefresh {
    private final Database db;

    public UnlockedRefresh(Database db) {
        this.db = db;
    }

    @Override
    public void refresh(ToolServer server, List<McpTool> tools) {
        db.inTransaction(c -> {
            LockingRefresh.replace(c, server, tools);
            return null;
        });
    }
}
