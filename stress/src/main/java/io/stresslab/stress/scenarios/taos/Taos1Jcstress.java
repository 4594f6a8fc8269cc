package io.stresslab.stress.scenarios.taos;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.stresslab.core.taos.GetThenSetIdempotencyCache;
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
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * TAOS-1 under jcstress: two callers send the same Idempotency-Key at the same moment (a request and its retry). Each
 * actor records the response it got (the number of the handler run that produced it); the arbiter records how many
 * times the handler ran. One run and identical responses is the contract; two owners — the handler ran twice and the
 * callers got different responses — is the bug: interesting for the get-then-set cache, forbidden for the reserving
 * one. (A three-caller variant needs three CPUs: jcstress silently skips tests with more actors than CPUs, so on the
 * 2-core build machine the thread-based check covers four callers instead.)
 */
public final class Taos1Jcstress {
    private static final IdempotencyKey KEY = Taos1Workload.key("retry-me");

    private Taos1Jcstress() {
    }

    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "one run; the retry got the same response")
    @Outcome(id = {"1, 2, 2", "2, 1, 2"}, expect = ACCEPTABLE_INTERESTING,
            desc = "TAOS-1: the retry missed mid-execution; handler ran twice, two different responses")
    @Outcome(expect = FORBIDDEN, desc = "not a possible interleaving")
    @State
    public static class GetThenSetTwoCallers {
        final GetThenSetIdempotencyCache cache = new GetThenSetIdempotencyCache();
        final AtomicInteger runs = new AtomicInteger();

        @Actor
        public void request(III_Result r) {
            r.r1 = Taos1Workload.countedCall(cache, KEY, runs);
        }

        @Actor
        public void retry(III_Result r) {
            r.r2 = Taos1Workload.countedCall(cache, KEY, runs);
        }

        @Arbiter
        public void handlerRuns(III_Result r) {
            r.r3 = runs.get();
        }
    }

    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "one run; the retry got the same response")
    @Outcome(expect = FORBIDDEN, desc = "two owners: the handler ran twice or the responses differ")
    @State
    public static class ReservingTwoCallers {
        final ReservingIdempotencyCache cache = new ReservingIdempotencyCache(Clock.systemUTC());
        final AtomicInteger runs = new AtomicInteger();

        @Actor
        public void request(III_Result r) {
            r.r1 = Taos1Workload.countedCall(cache, KEY, runs);
        }

        @Actor
        public void retry(III_Result r) {
            r.r2 = Taos1Workload.countedCall(cache, KEY, runs);
        }

        @Arbiter
        public void handlerRuns(III_Result r) {
            r.r3 = runs.get();
        }
    }

    /**
     * The replay fast path racing the settle: the key is reserved before the actors start; one actor completes it
     * while the other executes the same key — replayed lock-free if it sees the completed entry, else awaiting the
     * owner. Either way it must get the owner's response and never run its own handler.
     */
    @JCStressTest
    @Outcome(id = "7, 0", expect = ACCEPTABLE, desc = "the retry got the owner's response (replayed or awaited)")
    @Outcome(expect = FORBIDDEN, desc = "the retry ran the handler again or got another response")
    @State
    public static class ReservingReplayWhileCompleting {
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
}
