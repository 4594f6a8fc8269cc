package io.stresslab.stress.scenarios.archon;

import io.stresslab.core.archon.ArchonContext;
import io.stresslab.core.archon.ContextSlot;
import io.stresslab.stress.harness.SubjectProperty;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * ARCHON-1, any {@link ContextSlot} (the one named by {@link SubjectProperty}): one actor publishes, the other reads
 * the flag and then the context, as the lifespan's fast path does. (initialized, context present) = (true, false) must
 * never be seen.
 */
@JCStressTest
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "initialized seen with no context (safe-publication)")
@Outcome(id = {"false, false", "false, true", "true, true"}, expect = ACCEPTABLE, desc = "consistent")
@State
public class ContextSlotJcstress {
    private static final ArchonContext CONTEXT = new ArchonContext("session-manager", "service-client");
    private final ContextSlot slot = SubjectProperty.create(ContextSlot.class);

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
