package io.stresslab.stress.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs {@code threads} callers through {@code rounds} rounds in lock-step on the harness's {@link Race}: its barrier
 * releases all callers of a round at once, so every round is a fresh race. The whole run is bounded by one deadline;
 * on expiry the callers are interrupted and the outcome (with its thread dump) is returned instead of hanging the
 * build.
 */
public final class ConcurrentRounds {
    /** One caller's work in one round. Expected failures are the step's to record; anything thrown ends the run. */
    @FunctionalInterface
    public interface Step {
        void run(int thread, int round) throws Exception;
    }

    /** The callers' thread-name prefix, which is also how their stacks are picked out of a thread dump. */
    public static final String CALLER_THREADS = "rounds-caller";

    private ConcurrentRounds() {
    }

    /**
     * What a check reports when its callers hung: a violation whatever the implementation (a hung call is never a
     * correct answer), with the callers' stacks as evidence.
     */
    public static Observation hung(Watchdog.Outcome<?> outcome) {
        Observation o = Observation.bugObserved("callers hung: " + outcome.describe());
        if (outcome.dump() != null) {
            o.evidence("threadDump", outcome.dump().toEvidence(CALLER_THREADS));
        }
        return o;
    }

    /** Returns null when every round finished, or the watchdog outcome of the wait that did not. */
    public static Watchdog.Outcome<Void> run(String what, int threads, int rounds, Duration deadline, Step step)
            throws Exception {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        try (Race race = new Race(CALLER_THREADS, threads)) {
            for (int round = 0; round < rounds; round++) {
                int r = round;
                List<Callable<Void>> callers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    callers.add(() -> {
                        step.run(thread, r);
                        return null;
                    });
                }
                Race.Round<Void> result = race.run(Duration.ofNanos(Math.max(1, end - System.nanoTime())), callers);
                if (result.timedOut()) {
                    return new Watchdog.Outcome<>(what, false, null, Duration.ofNanos(System.nanoTime() - start),
                            result.dump(), "round " + round + " of " + rounds);
                }
                List<Throwable> errors = result.errors();
                if (!errors.isEmpty()) {
                    Throwable first = errors.get(0);
                    if (first instanceof Exception e) {
                        throw e;
                    }
                    throw new IllegalStateException(first);
                }
            }
            return null;
        }
    }
}
