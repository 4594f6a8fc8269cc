package io.stresslab.stress.scenarios.taos;

import io.stresslab.stress.support.ScenarioChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Taos1Test {
    @TestFactory
    Stream<DynamicTest> checks() {
        return ScenarioChecks.of(new Taos1Scenario());
    }
}
