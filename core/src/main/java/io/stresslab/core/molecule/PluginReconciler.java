package io.stresslab.core.molecule;

import io.stresslab.core.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code reconcilePlugins(ws)}: asynchronously installs the workspace's declared-but-missing plugins (idempotent — a
 * plugin already installed, or installed concurrently, is left alone), with a deadline (10 min in the seed). It
 * never changes a workspace's status: recovery to online happens only in the registry's status evaluation, once the
 * runtime reports what the reconcile delivered.
 */
public final class PluginReconciler {
    /** Why a reconcile was fired. */
    public enum Trigger {
        /** MOLECULE-1 after: from the platform gate's MCP-missing branch. */
        MCP_RECOVERY,
        /** {@code fireReconcileOnline}: on a transition to online. */
        ONLINE_TRANSITION
    }

    /** Observes reconciles (the checks count fires and completions through it). */
    public interface Listener {
        void fired(String workspaceId, Trigger trigger);

        void finished(String workspaceId, int installed, Throwable failure);
    }

    private final Database db;
    private final Executor executor;
    private final Duration deadline;
    private final Listener listener;

    public PluginReconciler(Database db, Executor executor, Duration deadline, Listener listener) {
        this.db = db;
        this.executor = executor;
        this.deadline = deadline;
        this.listener = listener;
    }

    /** Starts a reconcile of {@code workspaceId}; the future yields how many plugins it installed. */
    public CompletableFuture<Integer> reconcile(String workspaceId, Trigger trigger) {
        listener.fired(workspaceId, trigger);
        return CompletableFuture.supplyAsync(() -> installMissing(workspaceId), executor)
                .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((n, failure) -> listener.finished(workspaceId, n == null ? 0 : n, failure));
    }

    private int installMissing(String workspaceId) {
        List<String> missing = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT d.plugin FROM workspace_declared_plugins d"
                    + " WHERE d.workspace_id = ? AND NOT EXISTS (SELECT 1 FROM workspace_installed_plugins i"
                    + " WHERE i.workspace_id = d.workspace_id AND i.plugin = d.plugin) ORDER BY d.plugin")) {
                ps.setString(1, workspaceId);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
        int installed = 0;
        for (String plugin : missing) {
            // "deliver" the plugin: the runtime sees it from its next heartbeat on
            installed += db.upsert("workspace_installed_plugins", List.of("workspace_id", "plugin"), List.of(),
                    List.of(), workspaceId, plugin) > 0 ? 1 : 0;
        }
        return installed;
    }
}
