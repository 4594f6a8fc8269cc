package io.stresslab.stress.scenarios.archon;

import io.stresslab.core.archon.AsyncLockLifespan;
import io.stresslab.core.archon.BlockingLockLifespan;
import io.stresslab.core.archon.ContextSlot;
import io.stresslab.core.archon.Lifespan;
import io.stresslab.core.archon.VolatileContextSlot;
import io.stresslab.stress.harness.Check;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.JcstressChecks;
import io.stresslab.stress.harness.LincheckRunner;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import java.util.List;

/**
 * ARCHON-1 (seed 002, Archon PR #909): a blocking lock taken on the event-loop thread and held across the awaited
 * health check and the session freezes the MCP server once two sessions overlap the initialization. Two contracts:
 * {@link Lifespan} (liveness: {@link ConcurrentSessions}, {@link FailedInitRetry}) and {@link ContextSlot} (the
 * context's publication: Lincheck's model checker and jcstress).
 */
public final class Archon1Scenario implements Scenario {
    private static final String BUG = "ARCHON-1";

    @Override
    public String bug() {
        return BUG;
    }

    @Override
    public List<Contract<?>> contracts() {
        return List.of(
                new Contract<>(BUG, Lifespan.class, "(EventLoop, ArchonServices)", List.of(
                        Subject.ours(BUG, "blocking-lock-on-loop", Lifespan.class, BlockingLockLifespan.class),
                        Subject.ours(BUG, "async-lock-outside-yield", Lifespan.class, AsyncLockLifespan.class)),
                        Archon1Scenario::lifespanChecks),
                new Contract<>(BUG, ContextSlot.class, "()", List.of(
                        Subject.ours(BUG, "volatile-context-slot", ContextSlot.class, VolatileContextSlot.class)),
                        Archon1Scenario::slotChecks));
    }

    static List<CheckSpec> slotChecks(Subject<ContextSlot> s) {
        return List.of(
                CheckSpec.inMemory(s, Tool.LINCHECK, "context-publication-interleavings", ctx -> LincheckRunner.observe(
                        LincheckRunner.checkFor(s, ContextSlotLincheck.class, ContextSlotLincheck.CONFIG.scaled(
                                ctx.settings())), "publish/fast-path interleaving", "the sequential slot"))
                        .obliges("safe-publication, under every interleaving"),
                CheckSpec.inMemory(s, Tool.JCSTRESS, "context-publication", ctx -> JcstressChecks.forbidden(ctx, s,
                                ContextSlotJcstress.class, "publish/fast-path pairs"))
                        .obliges("safe-publication, under the JMM"));
    }

    static List<CheckSpec> lifespanChecks(Subject<Lifespan> s) {
        return List.of(
                CheckSpec.inMemory(s, Tool.LIVENESS, "twenty-sessions-during-slow-init", Check.of(
                                ctx -> ConcurrentSessions.run(s), ConcurrentSessions::judge,
                                ConcurrentSessions::describe))
                        .obliges("loop-never-blocked, init-once, one-context, sessions-overlap, sessions-close,"
                                + " health-checked"),
                CheckSpec.inMemory(s, Tool.LIVENESS, "failed-init-then-retry", Check.of(
                                ctx -> FailedInitRetry.run(s), FailedInitRetry::judge, FailedInitRetry::describe))
                        .obliges("failed-init-retries, loop-never-blocked, one-context"));
    }
}
