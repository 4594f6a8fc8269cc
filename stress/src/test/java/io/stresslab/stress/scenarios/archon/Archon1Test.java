package io.stresslab.stress.scenarios.archon;

import io.stresslab.stress.support.ScenarioChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Archon1Test {
    @TestFactory
    Stream<DynamicTest> checks() {
        return ScenarioChecks.of(new Archon1Scenario());
    }
}
