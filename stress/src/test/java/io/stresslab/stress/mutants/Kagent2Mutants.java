package io.stresslab.stress.mutants;

import io.stresslab.core.db.Database;
import io.stresslab.core.kagent.Agent;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.KagentUpserts;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.ServerLockedToolRefresh;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.core.kagent.ToolSetRefresh;
import io.stresslab.stress.harness.Subject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * KAGENT-2's mutation suite: tool-set refreshes and agent upserts with the mistakes real teams make, and a correct
 * refresh that differs from ours. Refreshes have the contract's {@code (KagentStore)} constructor, upserts
 * {@code (Database)}.
 */
public final class Kagent2Mutants {
    private static final String BUG = "KAGENT-2";

    private Kagent2Mutants() {
    }

    public static List<Subject<ToolSetRefresh>> refreshes() {
        return List.of(
                Subject.mutant(BUG, ToolSetRefresh.class, DeleteThenInsertSeparately.class),
                Subject.mutant(BUG, ToolSetRefresh.class, SkipsEmptySet.class),
                Subject.mutant(BUG, ToolSetRefresh.class, UpsertsWithoutPruning.class),
                Subject.mutant(BUG, ToolSetRefresh.class, JvmLockAroundTransaction.class));
    }

    public static List<Subject<ToolSetRefresh>> correctRefreshes() {
        return List.of(Subject.alternative(BUG, ToolSetRefresh.class, UpdateServerRowFirst.class));
    }

    public static List<Subject<KagentUpserts>> upserts() {
        return List.of(
                Subject.mutant(BUG, KagentUpserts.class, SelectThenInsertOrUpdate.class),
                Subject.mutant(BUG, KagentUpserts.class, DeleteThenInsert.class),
                Subject.mutant(BUG, KagentUpserts.class, FirstWriteWins.class));
    }

    /** A refresh over the store. */
    abstract static class OnStore implements ToolSetRefresh {
        final KagentStore store;

        OnStore(KagentStore store) {
            this.store = store;
        }
    }

    /** Deletes in one transaction and inserts in another: a reader sees the empty set in between. */
    public static final class DeleteThenInsertSeparately extends OnStore {
        public DeleteThenInsertSeparately(KagentStore store) {
            super(store);
        }

        @Override
        public void refresh(ToolServer server, List<McpTool> tools) {
            store.database().inTransaction(c -> KagentStore.deleteTools(c, server));
            store.database().inTransaction(c -> {
                KagentStore.insertTools(c, server, tools);
                return null;
            });
        }
    }

    /** Correct locking, but "nothing to do" for an empty list: a server that lost every tool keeps the old ones. */
    public static final class SkipsEmptySet implements ToolSetRefresh {
        private final ToolSetRefresh locked;

        public SkipsEmptySet(KagentStore store) {
            this.locked = new ServerLockedToolRefresh(store);
        }

        @Override
        public void refresh(ToolServer server, List<McpTool> tools) {
            if (!tools.isEmpty()) {
                locked.refresh(server, tools);
            }
        }
    }

    /** Upserts every listed tool in one transaction and never removes the tools the server no longer lists. */
    public static final class UpsertsWithoutPruning extends OnStore {
        public UpsertsWithoutPruning(KagentStore store) {
            super(store);
        }

        @Override
        public void refresh(ToolServer server, List<McpTool> tools) {
            for (McpTool t : tools) {
                store.database().upsert("tools", List.of("id", "server_name", "group_kind"), List.of("description"),
                        List.of("created_at", "updated_at"), t.id(), server.name(), server.groupKind(),
                        t.description());
            }
        }
    }

    /** Delete and insert in one transaction under a JVM-wide lock: correct in one process, torn across workers. */
    public static final class JvmLockAroundTransaction implements ToolSetRefresh {
        private static final Object LOCK = new Object();
        private final KagentStore store;

        public JvmLockAroundTransaction(KagentStore store) {
            this.store = store;
        }

        @Override
        public void refresh(ToolServer server, List<McpTool> tools) {
            synchronized (LOCK) {
                store.database().inTransaction(c -> {
                    KagentStore.deleteTools(c, server);
                    KagentStore.insertTools(c, server, tools);
                    return null;
                });
            }
        }
    }

    /** Correct, and not ours: the transaction first touches the server's row (an UPDATE takes its row lock). */
    public static final class UpdateServerRowFirst extends OnStore {
        public UpdateServerRowFirst(KagentStore store) {
            super(store);
        }

        @Override
        public void refresh(ToolServer server, List<McpTool> tools) {
            store.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE tool_servers SET updated_at ="
                        + " CURRENT_TIMESTAMP WHERE name = ? AND group_kind = ?")) {
                    Database.bind(ps, server.name(), server.groupKind());
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException("tool server " + server.name() + " is not stored");
                    }
                }
                KagentStore.deleteTools(c, server);
                KagentStore.insertTools(c, server, tools);
                return null;
            });
        }
    }

    /** Base of the upsert mutants: the tool-server row through our single-statement upsert. */
    abstract static class AgentOnly implements KagentUpserts {
        final Database db;

        AgentOnly(Database db) {
            this.db = db;
        }

        @Override
        public void storeToolServer(ToolServer server) {
            new KagentStore(db).storeToolServer(server);
        }

        static int update(Connection c, String sql, Object... params) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Database.bind(ps, params);
                return ps.executeUpdate();
            }
        }

        static boolean exists(Connection c, String id) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM agents WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        }

        static final String INSERT = "INSERT INTO agents (id, type, config, created_at, updated_at)"
                + " VALUES (?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";
    }

    /** Find, then INSERT or UPDATE (as an ORM's find-then-save): two callers both find no row and both insert. */
    public static final class SelectThenInsertOrUpdate extends AgentOnly {
        public SelectThenInsertOrUpdate(Database db) {
            super(db);
        }

        @Override
        public void storeAgent(Agent a) {
            boolean found = db.autoCommit(c -> exists(c, a.id()));
            db.autoCommit(c -> found
                    ? update(c, "UPDATE agents SET type = ?, config = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?",
                            a.type(), a.config(), a.id())
                    : update(c, INSERT, a.id(), a.type(), a.config()));
        }
    }

    /** DELETE then INSERT, each auto-committed: concurrent callers collide on the key (or leave no row a moment). */
    public static final class DeleteThenInsert extends AgentOnly {
        public DeleteThenInsert(Database db) {
            super(db);
        }

        @Override
        public void storeAgent(Agent a) {
            db.autoCommit(c -> update(c, "DELETE FROM agents WHERE id = ?", a.id()));
            db.autoCommit(c -> update(c, INSERT, a.id(), a.type(), a.config()));
        }
    }

    /** Insert only when absent (and swallow a duplicate key): never an error, but the first write wins for good. */
    public static final class FirstWriteWins extends AgentOnly {
        public FirstWriteWins(Database db) {
            super(db);
        }

        @Override
        public void storeAgent(Agent a) {
            try {
                db.inTransaction(c -> exists(c, a.id()) ? 0 : update(c, INSERT, a.id(), a.type(), a.config()));
            } catch (RuntimeException duplicate) {
                // another caller inserted it first: "already stored"
            }
        }
    }
}
