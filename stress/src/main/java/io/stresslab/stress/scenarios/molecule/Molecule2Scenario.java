package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.molecule.AtomicCooldownGate;
import io.stresslab.core.molecule.CooldownGate;
import io.stresslab.core.molecule.LoadThenStoreCooldownGate;
import io.stresslab.stress.harness.Check;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.JcstressChecks;
import io.stresslab.stress.harness.LincheckRunner;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import java.util.List;

/**
 * MOLECULE-2 (seed 001, molecule PR #3228): the MCP-recovery cooldown guard is load-then-store, so two concurrent
 * heartbeats of one workspace can both pass it and fire twice. The contract is {@link CooldownGate}; every gate faces
 * jcstress (two concurrent first heartbeats), Lincheck (against a sequential gate) and the deterministic window check.
 */
public final class Molecule2Scenario implements Scenario {
    private static final String BUG = "MOLECULE-2";

    @Override
    public String bug() {
        return BUG;
    }

    @Override
    public List<Contract<?>> contracts() {
        return List.of(new Contract<>(BUG, CooldownGate.class, "(Clock, Duration)", List.of(
                Subject.ours(BUG, "load-then-store", CooldownGate.class, LoadThenStoreCooldownGate.class),
                Subject.ours(BUG, "atomic-compute", CooldownGate.class, AtomicCooldownGate.class)),
                Molecule2Scenario::checks));
    }

    static List<CheckSpec> checks(Subject<CooldownGate> s) {
        return List.of(
                CheckSpec.inMemory(s, Tool.THREADS, "cooldown-window", Check.of(
                                ctx -> CooldownWindow.run(ctx, s), CooldownWindow::judge, CooldownWindow::describe))
                        .obliges("every obligation of CooldownGate, on a hand-moved clock and in concurrent bursts"),
                CheckSpec.inMemory(s, Tool.JCSTRESS, "two-heartbeats-one-workspace",
                                ctx -> JcstressChecks.forbidden(ctx, s, CooldownGateJcstress.class,
                                        "pairs of concurrent first heartbeats"))
                        .obliges("at-most-once-per-window and first-heartbeat-fires under the JMM"),
                CheckSpec.inMemory(s, Tool.LINCHECK, "model-checking-vs-sequential-gate", ctx -> lincheck(ctx, s))
                        .obliges("linearizable against the sequential gate"));
    }

    private static Observation lincheck(CheckContext ctx, Subject<CooldownGate> s) {
        LincheckRunner.Config config = LincheckRunner.Config.modelChecking().scaled(ctx.settings())
                .sequentialSpecification(CooldownGateLincheck.Spec.class);
        LincheckRunner.Result r = LincheckRunner.checkFor(s, CooldownGateLincheck.class, config);
        return LincheckRunner.observe(r, "heartbeat interleaving", "the sequential gate");
    }
}
