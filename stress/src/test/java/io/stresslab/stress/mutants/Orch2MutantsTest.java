package io.stresslab.stress.mutants;

import io.stresslab.core.orch.DbLockManager;
import io.stresslab.core.orch.WorkClaimer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class Orch2MutantsTest {
    @TestFactory
    Stream<DynamicTest> lockManagers() {
        return MutationSuite.of("ORCH-2", DbLockManager.class, Orch2LockMutants.mutants(),
                Orch2LockMutants.alternatives());
    }

    @TestFactory
    Stream<DynamicTest> claimers() {
        return MutationSuite.of("ORCH-2", WorkClaimer.class, Orch2ClaimMutants.mutants(),
                Orch2ClaimMutants.alternatives());
    }
}
