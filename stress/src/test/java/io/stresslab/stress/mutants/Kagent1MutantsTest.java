package io.stresslab.stress.mutants;

import io.stresslab.core.kagent.KagentReconciler;
import io.stresslab.core.kagent.ReconcileQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Kagent1MutantsTest {
    @TestFactory
    Stream<DynamicTest> reconcilers() {
        return MutationSuite.of("KAGENT-1", KagentReconciler.class, Kagent1Mutants.reconcilers(),
                Kagent1Mutants.correctReconcilers());
    }

    @TestFactory
    Stream<DynamicTest> queues() {
        return MutationSuite.of("KAGENT-1", ReconcileQueue.class, Kagent1Mutants.queues(),
                Kagent1Mutants.correctQueues());
    }
}
