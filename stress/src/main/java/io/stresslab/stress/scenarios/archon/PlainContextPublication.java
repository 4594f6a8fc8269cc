package io.stresslab.stress.scenarios.archon;

import io.stresslab.core.archon.ArchonContext;
import io.stresslab.core.archon.ContextSlot;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/**
 * ARCHON-1 before-style publication: {@link ContextSlot#plain()}, the Python globals as plain Java fields. The Java
 * memory model allows a reader to see the flag set and the context still null; whether it shows depends on the JIT
 * and the hardware (x86 keeps stores and loads in order, so it rarely or never does), hence "interesting", not an
 * assertion.
 */
@JCStressTest
@Outcome(id = "true, false", expect = ACCEPTABLE_INTERESTING, desc = "initialized seen with no context (reordered)")
@Outcome(id = {"false, false", "false, true", "true, true"}, expect = ACCEPTABLE, desc = "consistent")
@State
public class PlainContextPublication {
    private static final ArchonContext CONTEXT = new ArchonContext("session-manager", "service-client");
    private final ContextSlot slot = ContextSlot.plain();

    @Actor
    public void initialize() {
        slot.publish(CONTEXT);
    }

    @Actor
    public void fastPath(ZZ_Result r) {
        r.r1 = slot.initialized();
        r.r2 = slot.context() != null;
    }
}
