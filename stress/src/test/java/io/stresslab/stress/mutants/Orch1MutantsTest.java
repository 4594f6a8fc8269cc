package io.stresslab.stress.mutants;

import io.stresslab.core.orch.TaskStateManager;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Orch1MutantsTest {
    @TestFactory
    Stream<DynamicTest> suite() {
        return MutationSuite.of("ORCH-1", TaskStateManager.class, Orch1Mutants.mutants(), Orch1Mutants.alternatives());
    }
}
