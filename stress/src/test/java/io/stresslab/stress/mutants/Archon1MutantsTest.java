package io.stresslab.stress.mutants;

import io.stresslab.core.archon.ContextSlot;
import io.stresslab.core.archon.Lifespan;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Archon1MutantsTest {
    @TestFactory
    Stream<DynamicTest> lifespans() {
        return MutationSuite.of("ARCHON-1", Lifespan.class, Archon1Mutants.lifespans(),
                Archon1Mutants.correctLifespans());
    }

    @TestFactory
    Stream<DynamicTest> slots() {
        return MutationSuite.of("ARCHON-1", ContextSlot.class, Archon1Mutants.slots(), List.of());
    }
}
