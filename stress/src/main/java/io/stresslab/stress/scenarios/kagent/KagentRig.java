package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.db.Database;
import io.stresslab.core.kagent.Agent;
import io.stresslab.core.kagent.DesiredState;
import io.stresslab.core.kagent.IoOutsideLockReconciler;
import io.stresslab.core.kagent.KagentControllers;
import io.stresslab.core.kagent.KagentReconciler;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.RemoteMcpServer;
import io.stresslab.core.kagent.ServerLockedToolRefresh;
import io.stresslab.core.kagent.SharedLockAcrossIoReconciler;
import io.stresslab.core.kagent.StatementByStatementToolRefresh;
import io.stresslab.stress.fixtures.FakeMcpServer;
import io.stresslab.stress.harness.CheckContext;
import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything a KAGENT-1 check runs: a fresh database, a real remote MCP server on loopback, the two controllers over
 * the chosen reconciler, and the measurements (each Agent reconcile's duration, how many Agent reconciles finished).
 * Closing it releases a hung remote server first, so a worker stuck in a socket read gets out, then stops the workers.
 */
final class KagentRig implements AutoCloseable {
    /** The KAGENT-1 variants, named for their mechanism. */
    enum Variant {
        SHARED_LOCK_ACROSS_IO("shared-lock-across-io"),
        IO_OUTSIDE_LOCK("io-outside-lock");

        final String id;

        Variant(String id) {
            this.id = id;
        }
    }

    /** Deadline of the after variant's remote call. */
    static final Duration REMOTE_DEADLINE = Duration.ofSeconds(1);

    final Database db;
    final KagentStore store;
    final DesiredState desired = new DesiredState();
    final FakeMcpServer remote;
    final KagentControllers controllers;
    final Queue<Long> agentReconcileNanos = new ConcurrentLinkedQueue<>();
    final AtomicLong agentReconciles = new AtomicLong();
    final Queue<String> serverFailures = new ConcurrentLinkedQueue<>();

    KagentRig(CheckContext ctx, Variant variant, Duration serverResync) throws IOException {
        this.db = ctx.openDatabase();
        try {
            this.store = new KagentStore(db);
            this.remote = FakeMcpServer.start();
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
        KagentReconciler reconciler = switch (variant) {
            case SHARED_LOCK_ACROSS_IO -> new SharedLockAcrossIoReconciler(desired, store,
                    new StatementByStatementToolRefresh(store));
            case IO_OUTSIDE_LOCK -> new IoOutsideLockReconciler(desired, store, new ServerLockedToolRefresh(store),
                    REMOTE_DEADLINE);
        };
        this.controllers = new KagentControllers(reconciler, serverResync,
                (key, start, end, failure) -> {
                    if (failure == null) {
                        agentReconcileNanos.add(end - start);
                        agentReconciles.incrementAndGet();
                    }
                }, (key, start, end, failure) -> {
                    if (failure != null) {
                        serverFailures.add(failure.toString());
                    }
                }).start();
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
        String id = "agent-" + i;
        desired.putAgent(new Agent(id, "Declarative", "{\"systemMessage\":\"you are agent " + i + "\"}"));
        controllers.agentEvent(id);
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
