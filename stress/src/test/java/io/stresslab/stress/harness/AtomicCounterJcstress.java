package io.stresslab.stress.harness;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/** The runner's self-test: atomic increments never lose an update, so the forbidden outcome must never show. */
@JCStressTest
@Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments landed")
@Outcome(id = "1", expect = FORBIDDEN, desc = "lost update")
@State
public class AtomicCounterJcstress {
    final AtomicInteger count = new AtomicInteger();

    @Actor
    public void actor1() {
        count.incrementAndGet();
    }

    @Actor
    public void actor2() {
        count.incrementAndGet();
    }

    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = count.get();
    }
}
