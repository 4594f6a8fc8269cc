package io.stresslab.stress.mutants;

import io.stresslab.core.taos.IdempotencyStore;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Taos1MutantsTest {
    @TestFactory
    Stream<DynamicTest> suite() {
        return MutationSuite.of("TAOS-1", IdempotencyStore.class, Taos1Mutants.mutants(), Taos1Mutants.alternatives());
    }
}
