package io.stresslab.stress.scenarios.orch;

import io.stresslab.kit.Conformance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Orch2Test {
    @TestFactory
    Stream<DynamicTest> checks() {
        return Conformance.ours(new Orch2Scenario());
    }
}
