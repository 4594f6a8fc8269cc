package io.stresslab.core.molecule;

/**
 * The platform gate of the workspace registry — the contract a team implements for MOLECULE-1.
 * {@link WorkspaceRegistry} calls {@link #admit} on every register and heartbeat, before it evaluates the workspace's
 * status: a denial marks the workspace failed (fail-closed; register answers 400), {@code null} lets the status
 * evaluation run (which climbs to online). The gate is the only place that can fire the declared-plugin reconcile for a
 * concierge whose management MCP is missing — the reconcile that fires on a transition to online never runs for a
 * workspace the gate keeps failed.
 *
 * <p>Construction: a public constructor taking some of {@code (PluginReconciler reconciler, CooldownGate cooldown,
 * java.time.Clock clock, java.time.Duration cooldownWindow)}; the checks supply an {@link AtomicCooldownGate} over
 * that clock with a 5-minute window.
 *
 * <p>Obligations, each tested by stresslab's MOLECULE-1 checks:
 * <ol>
 *   <li><b>mcp-missing-fires</b>: a {@value WorkspaceRegistry#PLATFORM_KIND} workspace with its MODEL secret whose
 *       runtime reports the MCP absent is denied {@link Denial#MCP_MISSING}, and the gate first fires
 *       {@code reconciler.reconcile(id, MCP_RECOVERY)} — so the workspace fails closed with its repair on the way;</li>
 *   <li><b>fail-closed</b>: a platform workspace is never admitted while it lacks the MODEL secret
 *       ({@link Denial#MODEL_MISSING}, which wins when both are missing) or reports the MCP absent;</li>
 *   <li><b>model-missing-never-fires</b>: a platform workspace without the MODEL secret never fires the reconcile (a
 *       plugin cannot fix it);</li>
 *   <li><b>others-pass-without-fire</b>: a non-platform workspace, a removed one, and a platform workspace with
 *       MODEL whose MCP is present (or whose old runtime reports {@code null}) are admitted and fire nothing;</li>
 *   <li><b>once-per-cooldown</b>: per workspace, at most one fire per cooldown window, even for concurrent
 *       heartbeats; the next fire comes once the window has passed; workspaces are independent;</li>
 *   <li><b>closes-the-loop</b>: in the registry, a concierge whose MCP is missing is back online within two heartbeats
 *       of its recovery reconcile finishing, and never online while its MCP is absent.</li>
 * </ol>
 * Implementations: {@link FailClosedGate} (before: breaks 1 and 6), {@link RecoveringGate} (after).
 */
public interface RecoveryGate {
    /** What the registry read of the workspace for this call. */
    record Workspace(String id, String kind, boolean hasModelSecret, WorkspaceStatus status) {
    }

    /** Why the gate refused a workspace. */
    enum Denial {
        MODEL_MISSING("platform workspace has no MODEL secret"),
        MCP_MISSING("platform workspace's management MCP server is absent");

        private final String reason;

        Denial(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /**
     * Decides one register or heartbeat of {@code ws}; {@code mcpServerPresent} is what its runtime reported ({@code
     * null}: an old runtime, treated as present). Answers the denial, or null to admit.
     */
    Denial admit(Workspace ws, Boolean mcpServerPresent);
}
