package io.stresslab.stress.harness;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The one watchdog every liveness check uses: every blocking wait goes through it with a deadline. When a deadline
 * expires it captures a full {@link ThreadDump} (lock owners, waits-for edges, JVM deadlock cycles) so the check can
 * report who waits on what; a hang is thus detected and reported, never left to the CI time limit.
 *
 * <p><b>At formation.</b> While it waits, every wait samples the JVM's threads every
 * {@link FormationSampler#PERIOD_NANOS} ns ({@link FormationSampler}) and ends early — not completed, with the dump and
 * the finding in {@code stalledAt}, {@link Outcome#formedEarly()} true — as soon as a self-wait, a waits-for cycle or
 * a lock held across network I/O has been stable over {@value FormationSampler#STABLE_SAMPLES} samples. Checks need no
 * change to get this: they already treat a not-completed outcome as the hang. The deadline stays the backstop for
 * hangs with no such state (a peer that never answers, a logical deadlock).
 *
 * <p>Three kinds of wait: for a condition, for a future or latch, and for <em>progress</em> — the last catches logical
 * deadlocks where no thread is blocked at all (a state machine that can never reach the branch that would heal it),
 * which no thread dump can see.
 */
public final class Watchdog {
    private Watchdog() {
    }

    /** The outcome of a bounded wait. */
    public record Outcome<T>(String what, boolean completed, T value, Duration waited, ThreadDump dump,
                             String stalledAt) {
        public boolean timedOut() {
            return !completed;
        }

        /**
         * True when the wait ended before its deadline because a deadlock formed (a self-wait, a waits-for cycle, or
         * a lock held across I/O, stable over several samples; see {@link FormationSampler}).
         */
        public boolean formedEarly() {
            return !completed && stalledAt != null && stalledAt.contains(FormationSampler.FORMED);
        }

        /** One line: what finished in how long, or what did not finish by its deadline. */
        public String describe() {
            if (completed) {
                return what + " completed in " + waited.toMillis() + " ms";
            }
            if (formedEarly()) {
                return what + " did not complete: " + stalledAt + ", seen " + waited.toMillis()
                        + " ms into the wait (before its deadline)";
            }
            String base = what + " did not complete within " + waited.toMillis() + " ms";
            if (stalledAt != null) {
                base += " (" + stalledAt + ")";
            }
            if (dump != null && !dump.deadlockedThreads().isEmpty()) {
                base += "; JVM deadlock among " + String.join(", ", dump.deadlockedThreads());
            }
            return base;
        }
    }

    /** Waits until {@code condition} holds, polling with a short back-off, for at most {@code deadline}. */
    public static Outcome<Void> awaitCondition(String what, Duration deadline, BooleanSupplier condition) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        Formation formation = new Formation(start);
        long pause = 100_000; // 0.1 ms, doubling to the sampling period
        while (true) {
            if (condition.getAsBoolean()) {
                return new Outcome<>(what, true, null, since(start), null, null);
            }
            long now = System.nanoTime();
            if (now - end >= 0) {
                return new Outcome<>(what, false, null, since(start), ThreadDump.capture(), null);
            }
            Outcome<Void> formed = formation.check(what, now);
            if (formed != null) {
                return formed;
            }
            LockSupport.parkNanos(Math.min(pause, end - now));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return new Outcome<>(what, false, null, since(start), ThreadDump.capture(), "interrupted");
            }
            pause = Math.min(pause * 2, FormationSampler.PERIOD_NANOS);
        }
    }

    /**
     * Waits for {@code future}. A future that fails counts as completed with no value and the failure in
     * {@code stalledAt}; callers that care about the failure ask the future itself afterwards.
     */
    public static <T> Outcome<T> awaitFuture(String what, Duration deadline, Future<T> future) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        Formation formation = new Formation(start);
        try {
            while (true) {
                long now = System.nanoTime();
                try {
                    T v = future.get(Math.max(0, Math.min(FormationSampler.PERIOD_NANOS, end - now)),
                            TimeUnit.NANOSECONDS);
                    return new Outcome<>(what, true, v, since(start), null, null);
                } catch (TimeoutException e) {
                    now = System.nanoTime();
                    if (now - end >= 0) {
                        return new Outcome<>(what, false, null, since(start), ThreadDump.capture(), null);
                    }
                    Outcome<T> formed = formation.check(what, now);
                    if (formed != null) {
                        return formed;
                    }
                }
            }
        } catch (ExecutionException e) {
            return new Outcome<>(what, true, null, since(start), null, "failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome<>(what, false, null, since(start), ThreadDump.capture(), "interrupted");
        }
    }

    public static Outcome<Void> awaitLatch(String what, Duration deadline, CountDownLatch latch) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        Formation formation = new Formation(start);
        try {
            while (true) {
                long now = System.nanoTime();
                if (latch.await(Math.max(0, Math.min(FormationSampler.PERIOD_NANOS, end - now)),
                        TimeUnit.NANOSECONDS)) {
                    return new Outcome<>(what, true, null, since(start), null, null);
                }
                now = System.nanoTime();
                if (now - end >= 0) {
                    return new Outcome<>(what, false, null, since(start), ThreadDump.capture(),
                            latch.getCount() + " left");
                }
                Outcome<Void> formed = formation.check(what, now);
                if (formed != null) {
                    return formed;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome<>(what, false, null, since(start), ThreadDump.capture(), "interrupted");
        }
    }

    /** Waits for {@code thread} to end. */
    public static Outcome<Void> awaitThread(String what, Duration deadline, Thread thread) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        Formation formation = new Formation(start);
        try {
            while (thread.isAlive()) {
                long now = System.nanoTime();
                if (now - end >= 0) {
                    break;
                }
                long slice = Math.min(FormationSampler.PERIOD_NANOS, end - now);
                thread.join(slice / 1_000_000, (int) (slice % 1_000_000));
                if (thread.isAlive()) {
                    Outcome<Void> formed = formation.check(what, System.nanoTime());
                    if (formed != null) {
                        return formed;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean done = !thread.isAlive();
        return new Outcome<>(what, done, null, since(start), done ? null : ThreadDump.capture(), null);
    }

    /**
     * Waits until {@code done} holds, but gives up early — reporting a stall — if the {@code progress} counter has not
     * moved for {@code stallWindow}. The outcome's {@code stalledAt} names the counter's last value. Used where no
     * thread blocks but the system can never get where it should (a logical deadlock).
     */
    public static Outcome<Void> awaitProgress(String what, Duration overall, Duration stallWindow,
                                              LongSupplier progress, BooleanSupplier done) {
        long start = System.nanoTime();
        long end = start + overall.toNanos();
        Formation formation = new Formation(start);
        long last = progress.getAsLong();
        long lastMoved = start;
        while (true) {
            if (done.getAsBoolean()) {
                return new Outcome<>(what, true, null, since(start), null, null);
            }
            long now = System.nanoTime();
            long p = progress.getAsLong();
            if (p != last) {
                last = p;
                lastMoved = now;
            }
            if (now - lastMoved >= stallWindow.toNanos()) {
                return new Outcome<>(what, false, null, since(start), ThreadDump.capture(),
                        "no progress for " + stallWindow.toMillis() + " ms; progress counter stuck at " + last);
            }
            if (now - end >= 0) {
                return new Outcome<>(what, false, null, since(start), ThreadDump.capture(),
                        "still progressing at the deadline; progress counter at " + last);
            }
            Outcome<Void> formed = formation.check(what, now);
            if (formed != null) {
                return formed;
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * The deadlock sampling of one wait: a {@link FormationSampler} sampled at most every
     * {@link FormationSampler#PERIOD_NANOS}; once it reports a stable finding, the wait ends early as not completed,
     * with the full dump and the finding in {@code stalledAt}.
     */
    private static final class Formation {
        private final long start;
        private final FormationSampler sampler = new FormationSampler();
        private long next;

        Formation(long start) {
            this.start = start;
            this.next = start + FormationSampler.PERIOD_NANOS;
        }

        <T> Outcome<T> check(String what, long now) {
            if (now - next < 0) {
                return null;
            }
            next = now + FormationSampler.PERIOD_NANOS;
            FormationSampler.Finding f = sampler.sample();
            if (f == null) {
                return null;
            }
            return new Outcome<>(what, false, null, Duration.ofNanos(System.nanoTime() - start),
                    ThreadDump.capture(), f.describe());
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
