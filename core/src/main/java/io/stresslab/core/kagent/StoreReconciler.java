package io.stresslab.core.kagent;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Our two {@link KagentReconciler}s' shared steps — Agent and RemoteMCPServer — over one store; the subclasses differ
 * only in what guards them: {@link SharedLockAcrossIoReconciler} (KAGENT-1 before) takes one
 * application lock around both, network I/O included; {@link IoOutsideLockReconciler} (after) takes none and bounds
 * the network call with a deadline.
 */
public abstract class StoreReconciler implements KagentReconciler {
    protected final DesiredState desired;
    protected final KagentStore store;
    protected final ToolSetRefresh refresh;
    protected final McpToolsClient client;

    protected StoreReconciler(DesiredState desired, KagentStore store, ToolSetRefresh refresh,
                               McpToolsClient client) {
        this.desired = desired;
        this.store = store;
        this.refresh = refresh;
        this.client = client;
    }

    /** Stores (or deletes) the agent: one upsert. */
    protected final void applyAgent(String name) {
        Optional<Agent> agent = desired.agent(name);
        if (agent.isPresent()) {
            store.storeAgent(agent.get());
        } else {
            store.deleteAgent(name);
        }
    }

    /** Upserts the server's row; returns the server, or empty if it was deleted. */
    protected final Optional<RemoteMcpServer> storeServer(String name) {
        Optional<RemoteMcpServer> server = desired.server(name);
        server.ifPresent(s -> store.storeToolServer(s.toolServer()));
        return server;
    }

    /** The network call: lists the remote server's tools (bounded only if the client has a deadline). */
    protected final List<McpTool> listTools(RemoteMcpServer server) throws IOException {
        return client.listTools(server.url());
    }

    /** Replaces the stored tool set and records the successful connection. */
    protected final void replaceTools(RemoteMcpServer server, List<McpTool> tools) {
        refresh.refresh(server.toolServer(), tools);
        store.markConnected(server.toolServer());
    }
}
