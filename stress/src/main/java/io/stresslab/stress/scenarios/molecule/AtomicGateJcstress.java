package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.molecule.AtomicCooldownGate;
import io.stresslab.core.molecule.CooldownGate;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * MOLECULE-2 after: {@link AtomicCooldownGate} under two concurrent heartbeats of one workspace, with a
 * fixed clock (the cooldown never passes). At most one may fire, and the first must.
 */
@JCStressTest
@Outcome(id = "true, true", expect = FORBIDDEN, desc = "both heartbeats fired")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "neither fired")
@Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "exactly one fired")
@State
public class AtomicGateJcstress {
    private final CooldownGate gate = new AtomicCooldownGate(GateFixtures.CLOCK, GateFixtures.COOLDOWN);

    @Actor
    public void heartbeat1(ZZ_Result r) {
        r.r1 = gate.tryFire(GateFixtures.WORKSPACE, GateFixtures.RECONCILE);
    }

    @Actor
    public void heartbeat2(ZZ_Result r) {
        r.r2 = gate.tryFire(GateFixtures.WORKSPACE, GateFixtures.RECONCILE);
    }
}
