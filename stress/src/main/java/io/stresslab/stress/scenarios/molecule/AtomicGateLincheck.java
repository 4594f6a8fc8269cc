package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.molecule.AtomicCooldownGate;
import io.stresslab.core.molecule.CooldownGate;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * MOLECULE-2 after: {@link AtomicCooldownGate} under Lincheck: heartbeats of two workspaces with a fixed
 * clock. The sequential specification is the gate itself run sequentially (Lincheck's default), which for both gates
 * is the same: per workspace the first heartbeat fires and every later one, inside the cooldown, does not.
 */
public class AtomicGateLincheck {
    private final CooldownGate gate = new AtomicCooldownGate(GateFixtures.CLOCK, GateFixtures.COOLDOWN);

    @Operation
    public boolean heartbeatA() {
        return gate.tryFire("ws-a", GateFixtures.RECONCILE);
    }

    @Operation
    public boolean heartbeatB() {
        return gate.tryFire("ws-b", GateFixtures.RECONCILE);
    }
}
