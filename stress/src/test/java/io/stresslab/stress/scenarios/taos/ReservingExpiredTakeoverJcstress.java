package io.stresslab.stress.scenarios.taos;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.stresslab.core.concurrent.ManualClock;
import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.ReservingIdempotencyCache;
import io.stresslab.core.taos.StoredResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link ReservingIdempotencyCache}'s takeover of an expired entry (an implementation test of our after variant): the
 * key's response "0" was stored and its retention has just ended when two callers retry it at once. Exactly one must
 * run the handler again, and both must get that new response — neither the expired "0" nor a run of its own.
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "one retry ran the handler again; both got its response")
@Outcome(expect = FORBIDDEN, desc = "the expired response was replayed, or both retries ran the handler")
@State
public class ReservingExpiredTakeoverJcstress {
    private static final IdempotencyKey KEY = Taos1Workload.key("expired");
    private static final Duration RETENTION = Duration.ofSeconds(1);
    final ManualClock clock = new ManualClock();
    final ReservingIdempotencyCache cache = new ReservingIdempotencyCache(clock, RETENTION, 1000);
    final AtomicInteger runs = new AtomicInteger();

    public ReservingExpiredTakeoverJcstress() {
        ((ReservingIdempotencyCache.Owner) cache.tryReserve(KEY, Taos1Workload.FINGERPRINT))
                .complete(new StoredResponse(201, "0"));
        clock.advance(RETENTION);
    }

    @Actor
    public void first(III_Result r) {
        r.r1 = Taos1Workload.countedCall(cache, KEY, runs);
    }

    @Actor
    public void second(III_Result r) {
        r.r2 = Taos1Workload.countedCall(cache, KEY, runs);
    }

    @Arbiter
    public void handlerRuns(III_Result r) {
        r.r3 = runs.get();
    }
}
