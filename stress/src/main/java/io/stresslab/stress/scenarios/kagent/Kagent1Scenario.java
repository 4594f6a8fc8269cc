package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.kagent.IoOutsideLockReconciler;
import io.stresslab.core.kagent.KagentReconciler;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.McpToolsClient;
import io.stresslab.core.kagent.DesiredState;
import io.stresslab.core.kagent.ReconcileQueue;
import io.stresslab.core.kagent.SharedLockAcrossIoReconciler;
import io.stresslab.core.kagent.StatementByStatementToolRefresh;
import io.stresslab.core.kagent.ToolSetRefresh;
import io.stresslab.core.kagent.WorkQueue;
import io.stresslab.stress.harness.Check;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.LincheckRunner;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import java.util.List;

/**
 * KAGENT-1: a lock shared by the Agent and RemoteMCPServer reconcilers, held across the remote server's network call,
 * starves Agent reconciles. Two contracts: {@link KagentReconciler} (the reconcile path; two liveness checks on H2
 * and PostgreSQL with a real HTTP server on loopback, {@link AgentLatency} and {@link HungRemote}) and
 * {@link ReconcileQueue} (the controllers' work queue; Lincheck against a sequential queue).
 */
public final class Kagent1Scenario implements Scenario {
    private static final String BUG = "KAGENT-1";

    @Override
    public String bug() {
        return BUG;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List<Contract<?>> contracts() {
        Contract<ReconcileQueue> queue = new Contract<>(BUG, ReconcileQueue.class, "()",
                List.of(Subject.ours(BUG, "deduplicating-work-queue", ReconcileQueue.class, WorkQueue.class)),
                s -> List.of(queueCheck(s)));
        return List.of(new Contract<>(BUG, KagentReconciler.class,
                        "(DesiredState, KagentStore, ToolSetRefresh, McpToolsClient) or any subset", List.of(
                        Subject.ours(BUG, "shared-lock-across-io", env -> new SharedLockAcrossIoReconciler(
                                env.get(DesiredState.class), env.get(KagentStore.class),
                                new StatementByStatementToolRefresh(env.get(KagentStore.class)))),
                        Subject.ours(BUG, "io-outside-lock", env -> new IoOutsideLockReconciler(
                                env.get(DesiredState.class), env.get(KagentStore.class),
                                env.get(ToolSetRefresh.class), env.get(McpToolsClient.class).deadline()))),
                        Kagent1Scenario::checks),
                queue);
    }

    static List<CheckSpec> checks(Subject<KagentReconciler> s) {
        return List.of(
                CheckSpec.onDatabases(s, Tool.LIVENESS, "agent-latency-200ms", Check.of(
                                ctx -> AgentLatency.run(ctx, s), AgentLatency::judge, AgentLatency::describe))
                        .obliges("agent-not-delayed-by-slow-remote, every-agent-event-applied, server-tools-stored"),
                CheckSpec.onDatabases(s, Tool.LIVENESS, "hung-remote-server", Check.of(
                                ctx -> HungRemote.run(ctx, s), HungRemote::judge, HungRemote::describe))
                        .obliges("agent-stored-while-remote-hangs, every-agent-event-applied, remote-call-bounded"));
    }

    @SuppressWarnings("rawtypes")
    private static CheckSpec queueCheck(Subject<ReconcileQueue> s) {
        return CheckSpec.inMemory(s, Tool.LINCHECK, "model-checking", ctx -> lincheck(ctx, s))
                .obliges("every ReconcileQueue obligation: linearizable against the sequential queue");
    }

    @SuppressWarnings("rawtypes")
    private static Observation lincheck(CheckContext ctx, Subject<ReconcileQueue> s) {
        LincheckRunner.Result r = LincheckRunner.checkFor(s, WorkQueueLincheck.class,
                WorkQueueLincheck.CONFIG.scaled(ctx.settings()));
        return LincheckRunner.observe(r, "add/poll/done interleaving", "the sequential queue model");
    }
}
