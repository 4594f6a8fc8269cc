package io.stresslab.core.molecule;

/**
 * What the platform gate does — besides failing closed — when a concierge's runtime reports its management MCP
 * server absent (MOLECULE-1).
 */
@FunctionalInterface
public interface McpRecovery {
    void mcpServerMissing(String workspaceId);

    /**
     * MOLECULE-1 before: nothing. The gate marks the workspace failed and returns before the only reconcile that
     * could install the MCP (fired on transitions to online) can run, so it stays failed forever.
     */
    McpRecovery NONE = workspaceId -> {
    };

    /**
     * MOLECULE-1 after: fire the declared-plugin reconcile through {@code gate}, at most once per workspace per
     * cooldown; the gate still fails the workspace closed for this beat.
     */
    static McpRecovery reconcileThrough(CooldownGate gate, PluginReconciler reconciler) {
        return workspaceId -> gate.tryFire(workspaceId,
                () -> reconciler.reconcile(workspaceId, PluginReconciler.Trigger.MCP_RECOVERY));
    }
}
