package io.stresslab.stress.scenarios.taos;

import io.stresslab.kit.Conformance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Taos2Test {
    @TestFactory
    Stream<DynamicTest> checks() {
        return Conformance.ours(new Taos2Scenario());
    }
}
