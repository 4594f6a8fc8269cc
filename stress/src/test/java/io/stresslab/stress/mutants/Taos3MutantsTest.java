package io.stresslab.stress.mutants;

import io.stresslab.core.taos.SharedIdempotencyStore;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Taos3MutantsTest {
    @TestFactory
    Stream<DynamicTest> suite() {
        return MutationSuite.of("TAOS-3", SharedIdempotencyStore.class, Taos3Mutants.mutants(),
                Taos3Mutants.alternatives());
    }
}
