package io.stresslab.core.kagent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * KAGENT-1 after: no application lock. The RemoteMCPServer reconcile upserts the server row, then does the network
 * call outside any lock or transaction and with a deadline, then replaces the tool set in one transaction (a
 * {@link ServerLockedToolRefresh} serializes refreshes of one server in the database). Agent reconciles never wait for
 * the network. Rule: network I/O never inside a lock or a transaction.
 */
public final class IoOutsideLockReconciler extends StoreReconciler {

    public IoOutsideLockReconciler(DesiredState desired, KagentStore store, ToolSetRefresh refresh,
                                   Duration remoteDeadline) {
        super(desired, store, refresh, new McpToolsClient(remoteDeadline));
    }


    @Override
    public void reconcileAgent(String name) {
        applyAgent(name);
    }

    @Override
    public void reconcileRemoteMcpServer(String name) throws Exception {
        Optional<RemoteMcpServer> server = storeServer(name);
        if (server.isPresent()) {
            List<McpTool> tools = listTools(server.get());
            replaceTools(server.get(), tools);
        }
    }
}
