package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.molecule.CooldownGate;
import io.stresslab.stress.harness.SubjectProperty;
import java.util.HashSet;
import java.util.Set;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * MOLECULE-2, any {@link CooldownGate} under Lincheck: heartbeats of two workspaces under a clock that never moves,
 * checked against {@link Spec}, an independent sequential gate (per workspace the first heartbeat fires and every
 * later one, inside the cooldown, does not) — so a gate that is wrong even alone fails too.
 */
public class CooldownGateLincheck {
    private final CooldownGate gate = SubjectProperty.create(CooldownGate.class, GateFixtures.CLOCK,
            GateFixtures.COOLDOWN);

    @Operation
    public boolean heartbeatA() {
        return gate.tryFire("ws-a", GateFixtures.RECONCILE);
    }

    @Operation
    public boolean heartbeatB() {
        return gate.tryFire("ws-b", GateFixtures.RECONCILE);
    }

    /** The sequential specification: the clock never moves, so each workspace fires once. */
    public static class Spec {
        private final Set<String> fired = new HashSet<>();

        public boolean heartbeatA() {
            return fired.add("ws-a");
        }

        public boolean heartbeatB() {
            return fired.add("ws-b");
        }
    }
}
