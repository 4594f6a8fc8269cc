package io.stresslab.stress.scenarios.archon;

import io.stresslab.core.archon.ArchonContext;
import io.stresslab.core.archon.EventLoop;
import io.stresslab.core.archon.Lifespan;
import io.stresslab.core.archon.SimulatedArchonServices;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ARCHON-1's {@code failed-init-then-retry}, the same for every lifespan: the first health check fails. Sessions A and
 * B open in one loop turn (B while A awaits the failing check); once both have ended, session C opens. Judged: A
 * (which ran the failing initialization) fails, A and B end within 3 s (a frozen loop is a violation), C gets a
 * context, and B, if it succeeded, got C's.
 */
final class FailedInitRetry {
    static final Duration HEALTH_CHECK = Duration.ofMillis(50);
    static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private FailedInitRetry() {
    }

    record Seen(Watchdog.Outcome<Void> firstTwo, boolean aFailed, ArchonContext b, Watchdog.Outcome<Void> third,
                ArchonContext c, int initializations) {
    }

    /** The one place this check waits: every wait goes through the harness watchdog with a deadline. */
    private static Watchdog.Outcome<Void> await(String what, CompletableFuture<?> done) {
        return Watchdog.awaitCondition(what, DEADLINE, done::isDone);
    }

    static Seen run(Subject<Lifespan> subject) throws Exception {
        EventLoop loop = new EventLoop("archon-retry-loop-" + RUNS.incrementAndGet());
        SimulatedArchonServices services = new SimulatedArchonServices(loop, HEALTH_CHECK, 1);
        try {
            Lifespan lifespan = subject.create(Env.of(loop, services));
            CompletableFuture<ArchonContext> a = new CompletableFuture<>();
            CompletableFuture<ArchonContext> b = new CompletableFuture<>();
            loop.execute(() -> {
                forward(lifespan.session(CompletableFuture::completedFuture), a);
                forward(lifespan.session(CompletableFuture::completedFuture), b);
            });
            Watchdog.Outcome<Void> firstTwo = await("sessions A and B end", CompletableFuture.allOf(a, b)
                    .handle((v, e) -> null));
            if (firstTwo.timedOut()) {
                return new Seen(firstTwo, a.isCompletedExceptionally(), null, null, null,
                        services.initializations());
            }
            CompletableFuture<ArchonContext> c = new CompletableFuture<>();
            loop.execute(() -> forward(lifespan.session(CompletableFuture::completedFuture), c));
            Watchdog.Outcome<Void> third = await("session C ends", c);
            return new Seen(firstTwo, a.isCompletedExceptionally(),
                    b.isCompletedExceptionally() ? null : b.getNow(null),
                    third, c.isDone() && !c.isCompletedExceptionally() ? c.getNow(null) : null,
                    services.initializations());
        } finally {
            services.close();
            loop.shutdownNow();
        }
    }

    private static void forward(CompletableFuture<ArchonContext> from, CompletableFuture<ArchonContext> to) {
        from.whenComplete((v, e) -> {
            if (e != null) {
                to.completeExceptionally(e);
            } else {
                to.complete(v);
            }
        });
    }

    static Findings judge(Seen s) {
        return new Findings()
                .check(s.firstTwo().timedOut(), "loop-never-blocked", () -> "event loop frozen: "
                        + s.firstTwo().describe())
                .check(s.firstTwo().completed() && !s.aFailed(), "failed-init-retries",
                        () -> "session A succeeded although its health check failed")
                .check(s.third() != null && s.c() == null, "failed-init-retries", () -> "session C, after the failure,"
                        + " got no context (" + s.third().describe() + ")")
                .check(s.b() != null && s.c() != null && s.b() != s.c(), "one-context",
                        () -> "sessions B and C got different contexts");
    }

    static Observation describe(Seen s, Findings f) {
        Observation o = f.observe("two sessions during a failing initialization, then a third",
                        "the failing session failed, the next initialization succeeded, " + s.initializations()
                                + " initializations")
                .operations(3).metric("initializations", s.initializations());
        if (s.firstTwo().timedOut()) {
            o.evidence("waits", s.firstTwo().dump().describeWaits())
                    .evidence("threadDump", s.firstTwo().dump().toEvidence("archon-"));
        }
        return o;
    }
}
