package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.molecule.CooldownGate;
import io.stresslab.stress.harness.SubjectProperty;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * MOLECULE-2, any {@link CooldownGate} (the one named by {@link SubjectProperty}): two concurrent first heartbeats of
 * one workspace under a clock that never moves. Exactly one may fire.
 */
@JCStressTest
@SubjectProperty.PerSubject
@Outcome(id = "true, true", expect = FORBIDDEN, desc = "both heartbeats fired (at-most-once-per-window)")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "neither fired (first-heartbeat-fires)")
@Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "exactly one fired")
@State
public class CooldownGateJcstress {
    private final CooldownGate gate = SubjectProperty.create(CooldownGate.class, GateFixtures.CLOCK,
            GateFixtures.COOLDOWN);

    @Actor
    public void heartbeat1(ZZ_Result r) {
        r.r1 = gate.tryFire(GateFixtures.WORKSPACE, GateFixtures.RECONCILE);
    }

    @Actor
    public void heartbeat2(ZZ_Result r) {
        r.r2 = gate.tryFire(GateFixtures.WORKSPACE, GateFixtures.RECONCILE);
    }
}
