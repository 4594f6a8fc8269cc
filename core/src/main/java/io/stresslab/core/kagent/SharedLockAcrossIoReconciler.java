package io.stresslab.core.kagent;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * KAGENT-1 before, as in kagent before PR #1214: one {@code upsertLock} shared by both reconcilers. The Agent
 * reconcile takes it around one upsert; the RemoteMCPServer reconcile holds it across storeToolServer, the network
 * {@code tools/list} call (no deadline) and the tool refresh. While the remote server is slow, every Agent reconcile
 * waits for it; when the remote server hangs, no agent is ever stored again. Not a lock-order cycle: starvation by a
 * lock held across unbounded I/O.
 *
 * <p>The lock is fair, modelling Go's {@code sync.Mutex}, which hands the lock directly to a waiter that has waited
 * over 1 ms (starvation mode) — so each Agent reconcile waits out about one remote call, as the authors measured.
 */
public final class SharedLockAcrossIoReconciler extends StoreReconciler {
    private final ReentrantLock upsertLock = new ReentrantLock(true);

    public SharedLockAcrossIoReconciler(DesiredState desired, KagentStore store, ToolSetRefresh refresh) {
        super(desired, store, refresh, McpToolsClient.withoutDeadline());
    }


    @Override
    public void reconcileAgent(String name) {
        upsertLock.lock();
        try {
            applyAgent(name);
        } finally {
            upsertLock.unlock();
        }
    }

    @Override
    public void reconcileRemoteMcpServer(String name) throws Exception {
        upsertLock.lock();
        try {
            Optional<RemoteMcpServer> server = storeServer(name);
            if (server.isPresent()) {
                List<McpTool> tools = listTools(server.get());
                replaceTools(server.get(), tools);
            }
        } finally {
            upsertLock.unlock();
        }
    }
}
