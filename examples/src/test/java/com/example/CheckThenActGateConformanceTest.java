package com.example;

import com.example.gate.CheckThenActGate;
import io.stresslab.core.molecule.CooldownGate;
import io.stresslab.kit.Conformance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The same checks against the deliberately wrong gate: they fail, with the evidence in the failure message. */
class CheckThenActGateConformanceTest {
    @TestFactory
    Stream<DynamicTest> contract() {
        return Conformance.of(CooldownGate.class, CheckThenActGate.class);
    }
}
