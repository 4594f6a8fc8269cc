package io.stresslab.core.molecule;

/**
 * MOLECULE-1 before: the seed's fail-closed gate. It denies a concierge without MODEL or with its MCP absent and
 * returns — before the only reconcile that could install the MCP (fired on transitions to online) can run, so the
 * workspace stays failed forever.
 */
public final class FailClosedGate implements RecoveryGate {
    @Override
    public Denial admit(Workspace ws, Boolean mcpServerPresent) {
        return denial(ws, mcpServerPresent);
    }

    /** The decision both our gates make: MODEL first, then the MCP; non-platform and removed workspaces pass. */
    static Denial denial(Workspace ws, Boolean mcpServerPresent) {
        if (!WorkspaceRegistry.PLATFORM_KIND.equals(ws.kind()) || ws.status() == WorkspaceStatus.REMOVED) {
            return null;
        }
        return !ws.hasModelSecret() ? Denial.MODEL_MISSING
                : Boolean.FALSE.equals(mcpServerPresent) ? Denial.MCP_MISSING : null;
    }
}
