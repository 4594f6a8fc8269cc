package io.stresslab.stress.scenarios.orch;

import io.stresslab.stress.support.ScenarioChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Orch1Test {
    @TestFactory
    Stream<DynamicTest> checks() {
        return ScenarioChecks.of(new Orch1Scenario());
    }
}
