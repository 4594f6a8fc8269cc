package io.stresslab.core.kagent;

import java.time.Duration;

/**
 * The Agent controller and the RemoteMCPServer controller over one {@link KagentReconciler}: two worker threads, each
 * draining its own queue. The RemoteMCPServer controller resyncs every {@code serverResync} (kagent: 60 s).
 */
public final class KagentControllers implements AutoCloseable {
    public static final String AGENT_CONTROLLER = "kagent-agent";
    public static final String SERVER_CONTROLLER = "kagent-remotemcpserver";

    private final Controller<String> agents;
    private final Controller<String> servers;

    public KagentControllers(KagentReconciler reconciler, Duration serverResync,
                             Controller.Listener<String> agentListener, Controller.Listener<String> serverListener) {
        this.agents = new Controller<>(AGENT_CONTROLLER, reconciler::reconcileAgent, null, agentListener);
        this.servers = new Controller<>(SERVER_CONTROLLER, reconciler::reconcileRemoteMcpServer, serverResync,
                serverListener);
    }

    public KagentControllers start() {
        agents.start();
        servers.start();
        return this;
    }

    /** An Agent Create/Update/Delete event. */
    public void agentEvent(String name) {
        agents.enqueue(name);
    }

    /** A RemoteMCPServer Create/Update/Delete event. */
    public void serverEvent(String name) {
        servers.enqueue(name);
    }

    /** Stops both workers, waiting up to {@code deadline} for each; returns whether both ended. */
    public boolean stop(Duration deadline) {
        boolean a = agents.stop(deadline);
        boolean s = servers.stop(deadline);
        return a && s;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
