package com.example;

import com.example.gate.TimestampGate;
import io.stresslab.core.molecule.CooldownGate;
import io.stresslab.kit.Conformance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every check of the MOLECULE-2 contract against our gate: all must hold. */
class TimestampGateConformanceTest {
    @TestFactory
    Stream<DynamicTest> contract() {
        return Conformance.of(CooldownGate.class, TimestampGate.class);
    }
}
