package io.stresslab.stress.scenarios.taos;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.ReservingIdempotencyCache;
import io.stresslab.core.taos.StoredResponse;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link ReservingIdempotencyCache}'s lock-free replay fast path racing the owner's settle (an implementation test of
 * our after variant, beside the contract's checks): the key is reserved before the actors start; one actor completes
 * it while the other executes the same key — replayed lock-free if it sees the completed entry, else awaiting the
 * owner. Either way it must get the owner's response and never run its own handler.
 */
@JCStressTest
@Outcome(id = "7, 0", expect = ACCEPTABLE, desc = "the retry got the owner's response (replayed or awaited)")
@Outcome(expect = FORBIDDEN, desc = "the retry ran the handler again or got another response")
@State
public class ReservingReplayJcstress {
    private static final IdempotencyKey KEY = Taos1Workload.key("retry-me");
    final ReservingIdempotencyCache cache = new ReservingIdempotencyCache(Clock.systemUTC());
    final ReservingIdempotencyCache.Owner owner =
            (ReservingIdempotencyCache.Owner) cache.tryReserve(KEY, Taos1Workload.FINGERPRINT);
    final AtomicInteger runs = new AtomicInteger();

    @Actor
    public void complete() {
        owner.complete(new StoredResponse(201, "7"));
    }

    @Actor
    public void retry(II_Result r) {
        r.r1 = Taos1Workload.countedCall(cache, KEY, runs);
    }

    @Arbiter
    public void handlerRuns(II_Result r) {
        r.r2 = runs.get();
    }
}
