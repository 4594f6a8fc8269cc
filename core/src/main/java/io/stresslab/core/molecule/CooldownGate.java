package io.stresslab.core.molecule;

/**
 * The per-workspace guard in front of the MCP-recovery reconcile (MOLECULE-2): fires the reconcile unless one fired
 * for the same workspace within the cooldown (5 min in the seed). A null reconcile or a null or empty workspace id is
 * a no-op. Implementations: {@link LoadThenStoreCooldownGate} (before), {@link AtomicCooldownGate} (after).
 */
public interface CooldownGate {
    /**
     * Runs {@code reconcile} on the caller's thread (it should only start the asynchronous work) unless the workspace
     * is cooling down; answers whether it fired.
     */
    boolean tryFire(String workspaceId, Runnable reconcile);
}
