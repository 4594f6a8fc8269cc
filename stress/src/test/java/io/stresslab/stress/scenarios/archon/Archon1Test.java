package io.stresslab.stress.scenarios.archon;

import io.stresslab.kit.Conformance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Archon1Test {
    @TestFactory
    Stream<DynamicTest> checks() {
        return Conformance.ours(new Archon1Scenario());
    }
}
