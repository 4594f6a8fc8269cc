package io.stresslab.stress.harness;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The runner's self-test: two unsynchronized read-then-write increments lose an update when both read before either
 * writes. The spin between read and write widens the window so that even jcstress's few {@code sanity} samples show it.
 */
@JCStressTest
@Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments landed")
@Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "lost update")
@State
public class RacyCounterJcstress {
    volatile int count;

    @Actor
    public void actor1() {
        increment();
    }

    @Actor
    public void actor2() {
        increment();
    }

    private void increment() {
        int seen = count;
        for (int i = 0; i < 100; i++) {
            Thread.onSpinWait();
        }
        count = seen + 1;
    }

    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = count;
    }
}
