package io.stresslab.stress.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/** The Lincheck runner's self-test: model checking catches a racy counter and passes an atomic one (a few seconds). */
class LincheckRunnerTest {

    /** {@code count++} on a plain field: two concurrent increments can both return 1. */
    public static class RacyCounter {
        private int count;

        @Operation
        public int increment() {
            return ++count;
        }
    }

    public static class AtomicCounter {
        private final AtomicInteger count = new AtomicInteger();

        @Operation
        public int increment() {
            return count.incrementAndGet();
        }
    }

    @Test
    void modelCheckingFindsTheLostUpdateWithATrace() {
        LincheckRunner.Result r = LincheckRunner.check(RacyCounter.class, LincheckRunner.Config.modelChecking());
        System.out.println("[lincheck self-test] " + r.describe() + "\n" + r.report());

        assertThat(r.failed()).isTrue();
        assertThat(r.report()).contains("increment()").containsIgnoringCase("trace");
    }

    @Test
    void modelCheckingAndStressPassTheAtomicCounter() {
        LincheckRunner.Result mc = LincheckRunner.check(AtomicCounter.class, LincheckRunner.Config.modelChecking());
        LincheckRunner.Result stress = LincheckRunner.check(AtomicCounter.class, LincheckRunner.Config.stress());
        System.out.println("[lincheck self-test] " + mc.describe() + " | " + stress.describe());

        assertThat(mc.failed()).as(mc.report()).isFalse();
        assertThat(stress.failed()).as(stress.report()).isFalse();
        assertThat(mc.invocationBound()).isEqualTo(5_000);
        assertThat(stress.invocationBound()).isEqualTo(2_500);
    }
}
