package io.stresslab.core.molecule;

/**
 * The per-workspace guard in front of the MCP-recovery reconcile (MOLECULE-2, the contract a team implements). It
 * fires the reconcile unless one fired for the same workspace within the cooldown (5 min in the seed).
 *
 * <p>Construction: a public constructor {@code (java.time.Clock clock, java.time.Duration cooldown)}; the gate reads
 * time only from {@code clock}.
 *
 * <p>Obligations, each tested by stresslab's MOLECULE-2 checks:
 * <ol>
 *   <li><b>at-most-once-per-window</b>: under any concurrency, at most one {@code tryFire} per workspace answers true
 *       within one cooldown window (a window opens at a fire and lasts {@code cooldown});</li>
 *   <li><b>first-heartbeat-fires</b>: the first call for a workspace that never fired answers true — a gate that
 *       refuses everything is not a gate (of two concurrent first calls, exactly one fires);</li>
 *   <li><b>fires-again-after-window</b>: once {@code cooldown} has passed since the last fire, the next call fires
 *       again; a call 1 ms before the window ends does not;</li>
 *   <li><b>workspaces-independent</b>: a fire of one workspace never refuses another workspace;</li>
 *   <li><b>fire-runs-reconcile</b>: the reconcile runs on the caller's thread exactly when {@code tryFire} answers
 *       true, once;</li>
 *   <li><b>no-op-inputs</b>: a null reconcile or a null or empty workspace id answers false and opens no window;</li>
 *   <li><b>linearizable</b>: every concurrent history equals some sequential run of the gate's specification
 *       (per workspace: fire, then refuse until the window ends).</li>
 * </ol>
 * Implementations: {@link LoadThenStoreCooldownGate} (before: breaks 1), {@link AtomicCooldownGate} (after).
 */
public interface CooldownGate {
    /**
     * Runs {@code reconcile} on the caller's thread (it should only start the asynchronous work) unless the workspace
     * is cooling down; answers whether it fired.
     */
    boolean tryFire(String workspaceId, Runnable reconcile);
}
