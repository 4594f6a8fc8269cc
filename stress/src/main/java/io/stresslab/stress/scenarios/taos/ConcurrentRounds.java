package io.stresslab.stress.scenarios.taos;

import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@code threads} callers through {@code rounds} rounds in lock-step: a barrier releases all callers of a round
 * at once, so every round is a fresh race. The whole run is bounded by a {@link Watchdog} deadline; on expiry the
 * callers are interrupted and the outcome (with its thread dump) is returned instead of hanging the build.
 */
final class ConcurrentRounds {
    /** One caller's work in one round. Expected failures are the step's to record; anything thrown ends the run. */
    @FunctionalInterface
    interface Step {
        void run(int thread, int round) throws Exception;
    }

    private ConcurrentRounds() {
    }

    /**
     * What a check reports when its callers hung: for an after variant ({@link Expect#HOLD}) a hang is a violation,
     * reported with the thread dump; for a before variant it is not the documented bug, so the check errors.
     */
    static Observation hung(CheckContext ctx, Watchdog.Outcome<?> outcome) {
        if (ctx.spec().expect() != Expect.HOLD) {
            throw new IllegalStateException(outcome.describe());
        }
        Observation o = Observation.bugObserved("callers hung: " + outcome.describe());
        if (outcome.dump() != null) {
            o.evidence("threadDump", outcome.dump().toEvidence("io.stresslab"));
        }
        return o;
    }

    /** Returns null when every round finished, or the watchdog outcome of the wait that did not. */
    static Watchdog.Outcome<Void> run(String what, int threads, int rounds, Duration deadline, Step step)
            throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(threads);
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "taos-caller-" + names.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        long end = System.nanoTime() + deadline.toNanos();
        try {
            List<Future<Void>> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                callers.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        barrier.await(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                        step.run(thread, round);
                    }
                    return null;
                }));
            }
            for (Future<Void> caller : callers) {
                Watchdog.Outcome<Void> o = Watchdog.awaitFuture(what, Duration.ofNanos(Math.max(1,
                        end - System.nanoTime())), caller);
                if (o.timedOut()) {
                    return o;
                }
            }
            Exception failure = null;
            for (Future<Void> caller : callers) {
                try {
                    caller.get();
                } catch (ExecutionException e) {
                    Exception cause = e.getCause() instanceof Exception c ? c : e;
                    // the callers that merely found the barrier broken are not the story; the one that broke it is
                    if (failure == null || failure instanceof BrokenBarrierException) {
                        failure = cause;
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return null;
        } finally {
            pool.shutdownNow();
        }
    }
}
