package io.stresslab.stress.harness;

import io.stresslab.core.concurrent.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The harness's concurrent runner for in-JVM races: a fixed pool of named threads, each round's tasks released
 * together by a barrier, the whole round bounded by a deadline. A round that does not finish in time comes back with a
 * thread dump instead of hanging the check.
 */
public final class Race implements AutoCloseable {
    private static final long SPIN_NANOS = 2_000_000;
    private final String name;
    private final ExecutorService pool;

    public Race(String name, int threads) {
        this.name = name;
        this.pool = Executors.newFixedThreadPool(threads, Threads.named(name));
    }

    /** What one round produced: each task's value or failure (in task order), or a timeout with a dump. */
    public record Round<T>(List<T> values, List<Throwable> failures, boolean timedOut, ThreadDump dump) {
        public boolean clean() {
            return !timedOut && failures.stream().allMatch(f -> f == null);
        }

        public List<Throwable> errors() {
            return failures.stream().filter(f -> f != null).toList();
        }
    }

    /**
     * Starts all {@code tasks} at once (they must fit the pool) and waits for them up to {@code deadline}. The tasks
     * meet at a barrier and then spin on a shared counter until the last one arrives (at most {@value #SPIN_NANOS} ns),
     * so that those on different cores start within nanoseconds of each other, as jcstress's actors do — a barrier's
     * wake-ups alone are microseconds apart, longer than most check-then-act windows.
     */
    public <T> Round<T> run(Duration deadline, List<Callable<T>> tasks) {
        CyclicBarrier start = new CyclicBarrier(tasks.size());
        AtomicInteger arrived = new AtomicInteger();
        int n = tasks.size();
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                start.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
                meet(arrived, n);
                return task.call();
            }));
        }
        long end = System.nanoTime() + deadline.toNanos();
        List<T> values = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (Future<T> f : futures) {
            try {
                values.add(f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
                failures.add(null);
            } catch (ExecutionException e) {
                values.add(null);
                failures.add(e.getCause());
            } catch (TimeoutException e) {
                ThreadDump dump = ThreadDump.capture();
                futures.forEach(x -> x.cancel(true));
                return new Round<>(values, failures, true, dump);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                return new Round<>(values, failures, true, ThreadDump.capture());
            }
        }
        return new Round<>(values, failures, false, null);
    }

    /** One thread's part of one step of a {@link #lockstep} run. */
    @FunctionalInterface
    public interface Step<T> {
        T call(int thread, int step) throws Exception;
    }

    /**
     * {@code threads} threads (at most the pool's) run {@code steps} steps together, in one round: every step starts
     * on all threads at once — they meet on a spinning counter, at most {@value #SPIN_NANOS} ns a step, as {@link #run}
     * starts its tasks — so one round races {@code steps} small windows without a thread hand-off per window. A thread
     * that falls behind (descheduled) only costs the others their bounded spin. Each thread's value is the list of
     * its steps' values.
     */
    public <T> Round<List<T>> lockstep(Duration deadline, int threads, int steps, Step<T> step) {
        AtomicInteger arrived = new AtomicInteger();
        List<Callable<List<T>>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            tasks.add(() -> {
                List<T> values = new ArrayList<>(steps);
                for (int s = 0; s < steps; s++) {
                    meet(arrived, (s + 1) * threads);
                    values.add(step.call(thread, s));
                }
                return values;
            });
        }
        return run(deadline, tasks);
    }

    /** Counts this thread in, then spins until {@code everyone} have arrived, for at most {@value #SPIN_NANOS} ns. */
    private static void meet(AtomicInteger arrived, int everyone) {
        arrived.incrementAndGet();
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (arrived.get() < everyone && System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
        }
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
