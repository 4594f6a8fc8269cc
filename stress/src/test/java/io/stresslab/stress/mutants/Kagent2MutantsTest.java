package io.stresslab.stress.mutants;

import io.stresslab.core.kagent.KagentUpserts;
import io.stresslab.core.kagent.ToolSetRefresh;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Kagent2MutantsTest {
    @TestFactory
    Stream<DynamicTest> refreshes() {
        return MutationSuite.of("KAGENT-2", ToolSetRefresh.class, Kagent2Mutants.refreshes(),
                Kagent2Mutants.correctRefreshes());
    }

    @TestFactory
    Stream<DynamicTest> upserts() {
        return MutationSuite.of("KAGENT-2", KagentUpserts.class, Kagent2Mutants.upserts(), List.of());
    }
}
