package io.stresslab.stress.mutants;

import io.stresslab.core.molecule.CooldownGate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Molecule2MutantsTest {
    @TestFactory
    Stream<DynamicTest> suite() {
        return MutationSuite.of("MOLECULE-2", CooldownGate.class, Molecule2Mutants.mutants(),
                Molecule2Mutants.alternatives());
    }
}
