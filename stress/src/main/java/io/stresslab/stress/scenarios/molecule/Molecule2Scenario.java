package io.stresslab.stress.scenarios.molecule;

import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.JcstressResult;
import io.stresslab.stress.harness.JcstressRunner;
import io.stresslab.stress.harness.LincheckRunner;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Tool;
import java.util.List;

/**
 * MOLECULE-2 (seed 001, molecule PR #3228): the MCP-recovery cooldown guard is load-then-store, so two concurrent
 * heartbeats of one workspace can both pass it and fire twice. jcstress races two heartbeats; Lincheck model-checks
 * the gate against its sequential behaviour and, for the before gate, reports the minimal failing interleaving.
 */
public final class Molecule2Scenario implements Scenario {
    static final String BEFORE = "load-then-store";
    static final String AFTER = "atomic-compute";
    private static final String JCSTRESS_CHECK = "two-heartbeats-one-workspace";
    private static final String LINCHECK_CHECK = "model-checking-vs-sequential-gate";

    @Override
    public String bug() {
        return "MOLECULE-2";
    }

    @Override
    public String title() {
        return "The recovery cooldown guard is load-then-store: concurrent heartbeats double-fire the reconcile";
    }

    @Override
    public List<CheckSpec> checks() {
        return List.of(
                CheckSpec.inMemory(bug(), BEFORE, Expect.REPRODUCE, Tool.JCSTRESS, JCSTRESS_CHECK,
                        ctx -> jcstress(ctx, LoadThenStoreGateJcstress.class)),
                CheckSpec.inMemory(bug(), AFTER, Expect.HOLD, Tool.JCSTRESS, JCSTRESS_CHECK,
                        ctx -> jcstress(ctx, AtomicGateJcstress.class)),
                CheckSpec.inMemory(bug(), BEFORE, Expect.REPRODUCE, Tool.LINCHECK, LINCHECK_CHECK,
                        ctx -> lincheck(ctx, LoadThenStoreGateLincheck.class)),
                CheckSpec.inMemory(bug(), AFTER, Expect.HOLD, Tool.LINCHECK, LINCHECK_CHECK,
                        ctx -> lincheck(ctx, AtomicGateLincheck.class)));
    }

    /** Both gates run in one shared fork; each spec reads its own test's rows. */
    private static Observation jcstress(CheckContext ctx, Class<?> test) {
        JcstressResult r = JcstressRunner.runShared(ctx.settings(), LoadThenStoreGateJcstress.class,
                AtomicGateJcstress.class);
        long samples = r.samples(test);
        long forbidden = r.samples(test, JcstressResult.Expectation.FORBIDDEN);
        String line = r.describe(test);
        Observation o = forbidden > 0
                ? Observation.bugObserved("at most one fire violated " + forbidden + " times in " + samples
                        + " pairs of concurrent heartbeats (" + r.mode() + ")")
                : Observation.bugAbsent("never more than one fire in " + samples
                        + " pairs of concurrent heartbeats (" + r.mode() + ")");
        return o.operations(samples)
                .metric("samples", samples)
                .metric("forbidden", forbidden)
                .metric("jcstressMillis", r.duration().toMillis())
                .evidence("outcomes", line)
                .evidence("htmlReport", r.htmlIndex().toString());
    }

    private static Observation lincheck(CheckContext ctx, Class<?> test) {
        LincheckRunner.Config config = LincheckRunner.Config.modelChecking().scaled(ctx.settings());
        LincheckRunner.Result r = LincheckRunner.check(test, config);
        Observation o = r.failed()
                ? Observation.bugObserved("Lincheck found a non-linearizable heartbeat interleaving: " + r.describe())
                        .evidence("lincheckReport", r.report())
                : Observation.bugAbsent("linearizable against the sequential gate over at most "
                        + r.invocationBound() + " invocations: " + r.describe());
        return o.operations(r.invocationBound())
                .metric("lincheckMillis", r.duration().toMillis());
    }
}
