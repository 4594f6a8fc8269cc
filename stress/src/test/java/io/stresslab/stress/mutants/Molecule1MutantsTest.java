package io.stresslab.stress.mutants;

import io.stresslab.core.molecule.RecoveryGate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Molecule1MutantsTest {
    @TestFactory
    Stream<DynamicTest> suite() {
        return MutationSuite.of("MOLECULE-1", RecoveryGate.class, Molecule1Mutants.mutants(),
                Molecule1Mutants.alternatives());
    }
}
