package io.stresslab.core.kagent;

/**
 * The reconcile path of kagent's two controllers — the contract a team implements for KAGENT-1. The Agent controller
 * calls {@link #reconcileAgent} and the RemoteMCPServer controller calls {@link #reconcileRemoteMcpServer}, each on its
 * own worker thread ({@link KagentControllers}), for the name of a resource whose desired state is in a
 * {@link DesiredState} (a name missing there means the resource was deleted). Both write through one
 * {@link KagentStore}; the server reconcile also calls the remote server's {@code tools/list} over the network.
 *
 * <p>Construction: a public constructor taking some of {@code (DesiredState desired, KagentStore store,
 * ToolSetRefresh refresh, McpToolsClient client)} — the checks supply a client whose connect and read deadline is
 * {@code 1 s} and a {@link ServerLockedToolRefresh}; an implementation may make its own client instead.
 *
 * <p>Obligations, each tested by stresslab's KAGENT-1 checks:
 * <ol>
 *   <li><b>agent-not-delayed-by-slow-remote</b>: while the server reconcile is in a remote call that takes 200 ms,
 *       90 % of Agent events are reconciled (stored) in under 100 ms — an agent reconcile never waits for a remote
 *       call (no lock, transaction or queue that it shares is held across the call);</li>
 *   <li><b>agent-stored-while-remote-hangs</b>: while the remote server accepts {@code tools/list} and never
 *       answers, every Agent event is stored within 5 s;</li>
 *   <li><b>every-agent-event-applied</b>: no Agent event is dropped: every created agent is stored with its desired
 *       content, and an agent deleted from the desired state has its row removed;</li>
 *   <li><b>server-tools-stored</b>: a server reconcile whose remote call answers stores the server's row and exactly
 *       the tools it listed;</li>
 *   <li><b>remote-call-bounded</b>: a server reconcile against a hung remote server ends (with an exception; the
 *       controller retries it) within 5 s — a hung call never holds a worker for good.</li>
 * </ol>
 * Implementations: {@link SharedLockAcrossIoReconciler} (before: breaks 1, 2 and 5), {@link IoOutsideLockReconciler}
 * (after).
 */
public interface KagentReconciler {
    /** Makes the stored agent {@code name} match the desired state (store or delete it). */
    void reconcileAgent(String name) throws Exception;

    /** Stores the server {@code name}'s row, lists its tools over the network and stores them. */
    void reconcileRemoteMcpServer(String name) throws Exception;

}
