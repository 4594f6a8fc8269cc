package io.stresslab.stress.scenarios.molecule;

import io.stresslab.kit.Conformance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Molecule1Test {
    @TestFactory
    Stream<DynamicTest> checks() {
        return Conformance.ours(new Molecule1Scenario());
    }
}
