package io.stresslab.core.molecule;

/**
 * MOLECULE-1 after: on {@link RecoveryGate.Denial#MCP_MISSING} the gate fires the declared-plugin reconcile through a
 * {@link CooldownGate} (at most once per workspace per cooldown), then still fails the workspace closed for this beat;
 * the runtime reports the MCP present from its next heartbeat on and the status evaluation brings it online.
 */
public final class RecoveringGate implements RecoveryGate {
    private final PluginReconciler reconciler;
    private final CooldownGate cooldown;

    public RecoveringGate(PluginReconciler reconciler, CooldownGate cooldown) {
        this.reconciler = reconciler;
        this.cooldown = cooldown;
    }

    @Override
    public Denial admit(Workspace ws, Boolean mcpServerPresent) {
        Denial denial = FailClosedGate.denial(ws, mcpServerPresent);
        if (denial == Denial.MCP_MISSING) {
            cooldown.tryFire(ws.id(), () -> reconciler.reconcile(ws.id(), PluginReconciler.Trigger.MCP_RECOVERY));
        }
        return denial;
    }
}
