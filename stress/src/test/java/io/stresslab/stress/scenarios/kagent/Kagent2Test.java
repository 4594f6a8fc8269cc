package io.stresslab.stress.scenarios.kagent;

import io.stresslab.stress.support.ScenarioChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Kagent2Test {
    @TestFactory
    Stream<DynamicTest> checks() {
        return ScenarioChecks.of(new Kagent2Scenario());
    }
}
