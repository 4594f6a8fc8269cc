package com.example;

import com.example.tools.LockingRefresh;
import io.stresslab.core.kagent.ToolSetRefresh;
import io.stresslab.kit.Conformance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every check of the KAGENT-2 contract against LockingRefresh, on H2 and on PostgreSQL when one is configured. */
class LockingRefreshConformanceTest {
    @TestFactory
    Stream<DynamicTest> contract() {
        return Conformance.of(ToolSetRefresh.class, LockingRefresh.class);
    }
}
