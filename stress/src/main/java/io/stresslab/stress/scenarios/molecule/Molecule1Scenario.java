package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.molecule.FailClosedGate;
import io.stresslab.core.molecule.RecoveringGate;
import io.stresslab.core.molecule.RecoveryGate;
import io.stresslab.stress.harness.Check;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import java.util.List;

/**
 * MOLECULE-1 (seed 001, molecule PR #3228): the concierge's fail-closed gate returns before the only reconcile that
 * could install its management MCP, so it stays failed forever. The contract is {@link RecoveryGate}; every gate faces
 * the deterministic decision table ({@link GateDecisions}) and the registry's closed loop ({@link RecoveryLoop}), on
 * H2 and PostgreSQL.
 */
public final class Molecule1Scenario implements Scenario {
    private static final String BUG = "MOLECULE-1";

    @Override
    public String bug() {
        return BUG;
    }

    @Override
    public List<Contract<?>> contracts() {
        return List.of(new Contract<>(BUG, RecoveryGate.class,
                "(PluginReconciler, CooldownGate, Clock, Duration) or any subset", List.of(
                Subject.ours(BUG, "gate-returns-early", RecoveryGate.class, FailClosedGate.class),
                Subject.ours(BUG, "recovery-fire-before-fail-closed", RecoveryGate.class, RecoveringGate.class)),
                Molecule1Scenario::checks));
    }

    static List<CheckSpec> checks(Subject<RecoveryGate> s) {
        return List.of(
                CheckSpec.onDatabases(s, Tool.DATABASE, "gate-decisions", Check.of(
                                ctx -> GateDecisions.run(ctx, s), GateDecisions::judge, GateDecisions::describe))
                        .obliges("mcp-missing-fires, fail-closed, model-missing-never-fires, others-pass-without-fire,"
                                + " once-per-cooldown"),
                CheckSpec.onDatabases(s, Tool.DATABASE, "closed-loop-mcp-recovery", Check.of(
                                ctx -> RecoveryLoop.run(ctx, s), RecoveryLoopVerdict::judge,
                                RecoveryLoopVerdict::describe))
                        .obliges("closes-the-loop, mcp-missing-fires, fail-closed, model-missing-never-fires,"
                                + " once-per-cooldown"));
    }
}
