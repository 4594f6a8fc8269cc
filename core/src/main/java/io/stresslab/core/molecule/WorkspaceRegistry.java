package io.stresslab.core.molecule;

import io.stresslab.core.db.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The molecule workspace registry (seed 001) over {@link Database}: provision, the runtime's register and heartbeat
 * calls, and status evaluation. A {@code platform} workspace (a concierge) passes a fail-closed gate first: without a
 * MODEL secret, or with its runtime reporting {@code mcpServerPresent=false}, it is marked failed (register answers
 * 400). What else that gate does when the MCP is missing is the {@link RecoveryGate}'s — nothing (MOLECULE-1 before,
 * {@link FailClosedGate}) or a cooled-down recovery reconcile (after, {@link RecoveringGate}). Every status change is a
 * conditional update.
 */
public final class WorkspaceRegistry {
    public static final String PLATFORM_KIND = "platform";
    public static final String MANAGEMENT_PLUGIN = "molecule-platform";
    public static final String MODEL_SECRET = "MODEL";
    private static final int MAX_ID = 100;

    private final Database db;
    private final PluginReconciler reconciler;
    private final RecoveryGate gate;

    public WorkspaceRegistry(Database db, PluginReconciler reconciler, RecoveryGate gate) {
        this.db = db;
        this.reconciler = reconciler;
        this.gate = gate;
    }

    /** Creates a workspace in status provisioning with its secrets (stored as digests) and declared plugins. */
    public void provision(String id, String kind, Map<String, String> secrets, Set<String> declaredPlugins) {
        requireId(id);
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("workspace kind must not be empty");
        }
        db.inTransaction(c -> {
            update(c, "INSERT INTO workspaces (id, kind, status) VALUES (?, ?, ?)", id, kind,
                    WorkspaceStatus.PROVISIONING.db());
            for (Map.Entry<String, String> s : secrets.entrySet()) {
                update(c, "INSERT INTO workspace_secrets (workspace_id, name, value_sha256) VALUES (?, ?, ?)", id,
                        s.getKey(), sha256(s.getValue()));
            }
            for (String plugin : declaredPlugins) {
                update(c, "INSERT INTO workspace_declared_plugins (workspace_id, plugin) VALUES (?, ?)", id, plugin);
            }
            return null;
        });
    }

    /** The runtime's register call; {@code mcpServerPresent} null means an old runtime (treated as present). */
    public Registration register(String id, Boolean mcpServerPresent) {
        Workspace ws = load(id);
        RecoveryGate.Denial denial = gate(ws, mcpServerPresent);
        return denial != null ? Registration.rejected(denial.reason()) : Registration.accepted(evaluateStatus(ws));
    }

    /** The runtime's heartbeat (every 30 s in the seed); answers the workspace's status afterwards. */
    public WorkspaceStatus heartbeat(String id, Boolean mcpServerPresent) {
        Workspace ws = load(id);
        RecoveryGate.Denial denial = gate(ws, mcpServerPresent);
        return denial != null ? WorkspaceStatus.FAILED : evaluateStatus(ws);
    }

    /** A workspace row as one call read it. */
    private record Workspace(String id, String kind, WorkspaceStatus status) {
    }

    /**
     * The platform gate shared by register and heartbeat: the {@link RecoveryGate} decides (and may fire the
     * recovery reconcile); a denial fails the workspace closed. A removed workspace is never changed.
     */
    private RecoveryGate.Denial gate(Workspace ws, Boolean mcpServerPresent) {
        boolean platform = PLATFORM_KIND.equals(ws.kind());
        RecoveryGate.Denial denial = gate.admit(new RecoveryGate.Workspace(ws.id(), ws.kind(),
                platform && hasSecret(ws.id(), MODEL_SECRET), ws.status()), mcpServerPresent);
        if (denial != null) {
            markFailed(ws.id());
        }
        return denial;
    }

    /**
     * {@code evaluateStatus}: a workspace that passed the gate is online. The climb to online (from failed, offline,
     * degraded, provisioning or awaiting_agent) is a conditional update and fires the online reconcile
     * ({@code fireReconcileOnline}); a removed workspace stays removed.
     */
    private WorkspaceStatus evaluateStatus(Workspace ws) {
        if (ws.status() == WorkspaceStatus.REMOVED) {
            return ws.status();
        }
        if (ws.status() == WorkspaceStatus.ONLINE) {
            db.inTransaction(c -> update(c, "UPDATE workspaces SET last_heartbeat_at = CURRENT_TIMESTAMP WHERE id = ?",
                    ws.id()));
            return ws.status();
        }
        if (transition(ws.id(), ws.status(), WorkspaceStatus.ONLINE)) {
            reconciler.reconcile(ws.id(), PluginReconciler.Trigger.ONLINE_TRANSITION);
            return WorkspaceStatus.ONLINE;
        }
        return status(ws.id()); // another call changed it first
    }

    /** {@code UPDATE … WHERE id = ? AND status = ?}: true if this call made the change. */
    private boolean transition(String id, WorkspaceStatus from, WorkspaceStatus to) {
        return db.inTransaction(c -> update(c, "UPDATE workspaces SET status = ?,"
                + " last_heartbeat_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP WHERE id = ? AND status = ?",
                to.db(), id, from.db())) == 1;
    }

    /** Fail-closed: any status but removed becomes failed. */
    private void markFailed(String id) {
        db.inTransaction(c -> update(c, "UPDATE workspaces SET status = ?, last_heartbeat_at = CURRENT_TIMESTAMP,"
                + " updated_at = CURRENT_TIMESTAMP WHERE id = ? AND status <> ?", WorkspaceStatus.FAILED.db(), id,
                WorkspaceStatus.REMOVED.db()));
    }

    public WorkspaceStatus status(String id) {
        return load(id).status();
    }

    private Workspace load(String id) {
        requireId(id);
        Workspace ws = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, status FROM workspaces WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Workspace(id, rs.getString(1), WorkspaceStatus.fromDb(rs.getString(2)))
                            : null;
                }
            }
        });
        if (ws == null) {
            throw new IllegalArgumentException("unknown workspace '" + id + "'");
        }
        return ws;
    }

    private boolean hasSecret(String id, String name) {
        return db.inTransaction(c -> queryString(c,
                "SELECT name FROM workspace_secrets WHERE workspace_id = ? AND name = ?", id, name)) != null;
    }

    /** The plugins installed on the workspace's box (what its runtime can see). */
    public Set<String> installedPlugins(String id) {
        requireId(id);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT plugin FROM workspace_installed_plugins WHERE workspace_id = ? ORDER BY plugin")) {
                ps.setString(1, id);
                Set<String> out = new LinkedHashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, params);
            return ps.executeUpdate();
        }
    }

    private static String queryString(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void requireId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("workspace id must not be empty");
        }
        if (id.length() > MAX_ID) {
            throw new IllegalArgumentException("workspace id longer than " + MAX_ID + " characters ("
                    + id.length() + ")");
        }
    }

    private static String sha256(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret value must not be empty");
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
