package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.db.Database;
import io.stresslab.core.kagent.Agent;
import io.stresslab.core.kagent.DesiredState;
import io.stresslab.core.kagent.KagentControllers;
import io.stresslab.core.kagent.KagentReconciler;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.McpToolsClient;
import io.stresslab.core.kagent.RemoteMcpServer;
import io.stresslab.core.kagent.ServerLockedToolRefresh;
import io.stresslab.stress.fixtures.FakeMcpServer;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Subject;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything a KAGENT-1 reconciler check runs, the same for every reconciler: a fresh database, a real remote MCP
 * server on loopback, the two controllers over the reconciler under test, and the measurements (each Agent
 * reconcile's duration, how many finished, the server reconciles' failures). Closing it releases a hung remote server
 * first, so a worker stuck in a socket read gets out, then stops the workers.
 */
final class KagentRig implements AutoCloseable {
    /** The deadline of the client the checks hand a reconciler. */
    static final Duration REMOTE_DEADLINE = Duration.ofSeconds(1);

    final Database db;
    final KagentStore store;
    final DesiredState desired = new DesiredState();
    final FakeMcpServer remote;
    final KagentControllers controllers;
    final Queue<Long> agentReconcileNanos = new ConcurrentLinkedQueue<>();
    final AtomicLong agentReconciles = new AtomicLong();
    final AtomicLong serverReconciles = new AtomicLong();
    final Queue<String> serverFailures = new ConcurrentLinkedQueue<>();

    KagentRig(CheckContext ctx, Subject<KagentReconciler> subject, Duration serverResync) throws Exception {
        this.db = ctx.openDatabase();
        try {
            this.store = new KagentStore(db);
            this.remote = FakeMcpServer.start();
            KagentReconciler reconciler = subject.create(Env.of(desired, store, new ServerLockedToolRefresh(store),
                    new McpToolsClient(REMOTE_DEADLINE)));
            this.controllers = new KagentControllers(reconciler, serverResync,
                    (key, start, end, failure) -> {
                        if (failure == null) {
                            agentReconcileNanos.add(end - start);
                            agentReconciles.incrementAndGet();
                        }
                    }, (key, start, end, failure) -> {
                        serverReconciles.incrementAndGet();
                        if (failure != null) {
                            serverFailures.add(failure.toString());
                        }
                    }).start();
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    void addRemoteServer(String name) {
        desired.putServer(new RemoteMcpServer(name, remote.uri(), "remote MCP server " + name));
        controllers.serverEvent(name);
    }

    /** Creates {@code n} agents at once (a burst of Create events). */
    void createAgents(int n) {
        for (int i = 0; i < n; i++) {
            createAgent(i);
        }
    }

    /** One Agent Create event. */
    void createAgent(int i) {
        Agent agent = agent(i);
        desired.putAgent(agent);
        controllers.agentEvent(agent.id());
    }

    static Agent agent(int i) {
        return new Agent("agent-" + i, "Declarative", "{\"systemMessage\":\"you are agent " + i + "\"}");
    }

    /** How many of agents 0..n-1 are stored with exactly their desired content. */
    int storedAsDesired(int n) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (store.findAgent("agent-" + i).filter(agent(i)::equals).isPresent()) {
                ok++;
            }
        }
        return ok;
    }

    @Override
    public void close() {
        try {
            remote.close();
            controllers.stop(Duration.ofSeconds(10));
        } finally {
            db.close();
        }
    }
}
