package io.stresslab.stress.scenarios.archon;

import io.stresslab.core.archon.ArchonContext;
import io.stresslab.core.archon.ContextSlot;
import io.stresslab.stress.harness.LincheckRunner;
import io.stresslab.stress.harness.SubjectProperty;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * ARCHON-1, any {@link ContextSlot} (the one named by {@link SubjectProperty}) under Lincheck's model checker, which
 * switches threads between any two shared-memory accesses: a publisher and the lifespan's fast path (flag, then
 * context). Against {@link Spec}, a read sees nothing or the whole published context — never the flag without it.
 * Deterministic where jcstress needs the one unlucky moment; jcstress covers what the JMM adds (reordering).
 */
public class ContextSlotLincheck {
    private static final ArchonContext CONTEXT = new ArchonContext("session-manager", "service-client");
    private final ContextSlot slot = SubjectProperty.create(ContextSlot.class);

    @Operation
    public void publish() {
        slot.publish(CONTEXT);
    }

    /** The fast path: {@code ready}, {@code none}, or {@code flag-without-context}. */
    @Operation
    public String read() {
        boolean initialized = slot.initialized();
        ArchonContext context = slot.context();
        return !initialized ? "none" : context == CONTEXT ? "ready" : "flag-without-context";
    }

    /** The sequential slot: nothing until published, then the context. */
    public static class Spec {
        private boolean published;

        public void publish() {
            published = true;
        }

        public String read() {
            return published ? "ready" : "none";
        }
    }

    static final LincheckRunner.Config CONFIG = LincheckRunner.Config.modelChecking()
            .iterations(10).invocationsPerIteration(200).threads(2).actorsPerThread(2).actorsAround(0, 0)
            .sequentialSpecification(Spec.class);
}
