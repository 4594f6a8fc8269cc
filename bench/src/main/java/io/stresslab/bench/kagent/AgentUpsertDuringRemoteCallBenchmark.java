package io.stresslab.bench.kagent;

import io.stresslab.bench.BenchDatabase;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * KAGENT-1: Agent upserts (the Agent reconcile) while the RemoteMCPServer controller reconciles a remote server that
 * answers in 200 ms, continuously. {@code shared-lock-across-io} collapses to the remote latency;
 * {@code io-outside-lock} should be near the {@code ceiling}: the bare upsert statement on a held connection, no
 * reconciler, with the same RemoteMCPServer reconcile running beside it as beside the after (its refreshes take CPU
 * and the database's commit path on two cores; without them the ceiling measured an idle machine against the
 * after's busy one — docs/benchmarks.md, "KAGENT-1's ceiling").
 * Sample mode: throughput and latency percentiles from one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AgentUpsertDuringRemoteCallBenchmark {
    @Param({"shared-lock-across-io", "io-outside-lock", "ceiling"})
    public String variant;

    @Param({"h2"})
    public String db;

    @Param({"200"})
    public int remoteLatencyMillis;

    private Database database;
    private FakeMcpServer remote;
    private KagentControllers controllers;
    private KagentReconciler reconciler;
    private DesiredState desired;
    private Connection ceilingConnection;
    private PreparedStatement ceilingUpsert;
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        database = BenchDatabase.open(db, "bench_kagent1", 4);
        KagentStore store = new KagentStore(database);
        desired = new DesiredState();
        remote = FakeMcpServer.start().latency(Duration.ofMillis(remoteLatencyMillis));
        reconciler = switch (variant) {
            case "shared-lock-across-io" -> new SharedLockAcrossIoReconciler(desired, store,
                    new StatementByStatementToolRefresh(store));
            case "io-outside-lock", "ceiling" -> new IoOutsideLockReconciler(desired, store,
                    new ServerLockedToolRefresh(store), Duration.ofSeconds(5));
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
        if (variant.equals("ceiling")) {
            ceilingConnection = database.dataSource().getConnection();
            ceilingUpsert = ceilingConnection.prepareStatement(database.dialect().upsert("agents",
                    java.util.List.of("id"), java.util.List.of("type", "config"),
                    java.util.List.of("created_at", "updated_at")));
        }
        controllers = new KagentControllers(reconciler, Duration.ZERO, null, null).start();
        desired.putServer(new RemoteMcpServer("weather", remote.uri(), "remote"));
        controllers.serverEvent("weather");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (remote.requests() < 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public void agentUpsert() throws Exception {
        String id = "agent-" + (n++ % 64);
        if (ceilingUpsert != null) {
            Database.bind(ceilingUpsert, id, "Declarative", "{}");
            ceilingUpsert.executeUpdate();
            return;
        }
        desired.putAgent(new Agent(id, "Declarative", "{}"));
        reconciler.reconcileAgent(id);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        remote.close();
        if (controllers != null) {
            controllers.stop(Duration.ofSeconds(10));
        }
        if (ceilingConnection != null) {
            ceilingUpsert.close();
            ceilingConnection.close();
        }
        database.close();
    }
}
