package io.stresslab.stress.scenarios.kagent;

import io.stresslab.kit.Conformance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Kagent2Test {
    @TestFactory
    Stream<DynamicTest> checks() {
        return Conformance.ours(new Kagent2Scenario());
    }
}
