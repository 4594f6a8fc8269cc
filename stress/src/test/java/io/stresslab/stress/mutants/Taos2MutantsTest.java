package io.stresslab.stress.mutants;

import io.stresslab.core.taos.AgentTokenStore;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Taos2MutantsTest {
    @TestFactory
    Stream<DynamicTest> suite() {
        return MutationSuite.of("TAOS-2", AgentTokenStore.class, Taos2Mutants.mutants(), Taos2Mutants.alternatives());
    }
}
