package io.stresslab.stress.scenarios.molecule;

import io.stresslab.stress.support.ScenarioChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Molecule2Test {
    @TestFactory
    Stream<DynamicTest> checks() {
        return ScenarioChecks.of(new Molecule2Scenario());
    }
}
