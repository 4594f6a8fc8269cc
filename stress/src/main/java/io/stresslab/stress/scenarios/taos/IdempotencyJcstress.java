package io.stresslab.stress.scenarios.taos;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.stress.harness.SubjectProperty;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * TAOS-1, any {@link IdempotencyStore} (the one named by {@link SubjectProperty}) under jcstress: two callers send the
 * same Idempotency-Key at the same moment (a request and its retry). Each actor records the response it got (the
 * number of the handler run that produced it, -1 for an exception); the arbiter records how many times the handler
 * ran. One run and identical responses is the contract (once-per-key); anything else is forbidden. (A three-caller
 * variant needs three CPUs: jcstress skips tests with more actors than CPUs, so the thread check covers four.)
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "one run; the retry got the same response")
@Outcome(expect = FORBIDDEN, desc = "two owners or a failed call: the handler ran twice or the responses differ")
@State
public class IdempotencyJcstress {
    private static final IdempotencyKey KEY = Taos1Workload.key("retry-me");
    private final IdempotencyStore store = SubjectProperty.create(IdempotencyStore.class, Taos1Workload.CLOCK,
            IdempotencySteps.RETENTION);
    private final AtomicInteger runs = new AtomicInteger();

    @Actor
    public void request(III_Result r) {
        r.r1 = Taos1Workload.countedCall(store, KEY, runs);
    }

    @Actor
    public void retry(III_Result r) {
        r.r2 = Taos1Workload.countedCall(store, KEY, runs);
    }

    @Arbiter
    public void handlerRuns(III_Result r) {
        r.r3 = runs.get();
    }
}
