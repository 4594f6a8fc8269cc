package io.stresslab.stress.campaign;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.stress.history.HistoryClock;
import io.stresslab.stress.history.HistoryRecorder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a {@link Workload} gets in its worker JVM: who it is, its seed, the shared database (already open, with this
 * worker's {@code application_name} and, if the campaign asks, injected transient failures), its budget, and the
 * history recorder.
 */
public final class WorkerContext {
    /** The code of one workload thread. */
    @FunctionalInterface
    public interface ThreadBody {
        void run(int thread) throws Exception;
    }

    private final WorkerSpec spec;
    private final Database database;
    private final HistoryRecorder history;
    private final long startNanos;
    private final AtomicLong opsLeft;

    WorkerContext(WorkerSpec spec, Database database, HistoryRecorder history) {
        this.spec = spec;
        this.database = database;
        this.history = history;
        this.startNanos = HistoryClock.now();
        this.opsLeft = new AtomicLong(spec.opBudget() <= 0 ? Long.MAX_VALUE : spec.opBudget());
    }

    /** This worker's index, 0 … {@code workers() - 1}. */
    public int worker() {
        return spec.worker();
    }

    public int workers() {
        return spec.workers();
    }

    /** How many threads the campaign asks each worker to run. */
    public int threads() {
        return spec.threads();
    }

    /** This worker's seed, derived from the campaign seed and the worker index: the same seed replays the same run. */
    public long seed() {
        return spec.seed();
    }

    /** A random source for thread {@code thread} of this worker, derived from {@link #seed()}. */
    public SplittableRandom random(int thread) {
        return new SplittableRandom(spec.seed() * 31 + thread);
    }

    /** The shared database (never drops its schema on close; the worker closes it on exit). */
    public Database database() {
        if (database == null) {
            throw new IllegalStateException("campaign " + spec.campaign() + " has no database");
        }
        return database;
    }

    /**
     * The {@code application_name} of this worker's PostgreSQL sessions, {@code stresslab-<campaign tag>-worker-<n>}.
     */
    public String applicationName() {
        return spec.applicationName();
    }

    /**
     * This worker's application clock: the system clock, off by the campaign's {@code clock-skew} for this worker
     * (ahead if positive). Hand it to every store that takes a {@link Clock}, so a skewed worker shows which designs
     * need agreeing clocks.
     */
    public Clock clock() {
        return spec.clockSkewMillis() == 0 ? Clock.systemUTC()
                : Clock.offset(Clock.systemUTC(), Duration.ofMillis(spec.clockSkewMillis()));
    }

    public HistoryRecorder history() {
        return history;
    }

    public Duration duration() {
        return Duration.ofMillis(spec.durationMillis());
    }

    /** Whether the duration has run out. */
    public boolean expired() {
        return HistoryClock.now() - startNanos >= spec.durationMillis() * 1_000_000L;
    }

    /** Claims one operation of the budget: false once the duration has run out or the op budget is spent. */
    public boolean nextOp() {
        return !expired() && opsLeft.getAndDecrement() > 0;
    }

    /** A scenario parameter given in the campaign spec. */
    public String param(String name, String fallback) {
        return spec.params().getOrDefault(name, fallback);
    }

    /** A whole-number parameter; a value that is not one fails the worker with a line naming it. */
    public long longParam(String name, long fallback) {
        String v = spec.params().get(name);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("campaign parameter " + name + "=" + v + " is not a whole number");
        }
    }

    public int intParam(String name, int fallback) {
        return Math.toIntExact(longParam(name, fallback));
    }

    /** A duration parameter given in milliseconds. */
    public Duration millisParam(String name, Duration fallback) {
        return Duration.ofMillis(longParam(name, fallback.toMillis()));
    }

    /** The variant under test ({@link CampaignSpec.Builder#variant}), or {@code fallback}. */
    public String variant(String fallback) {
        return param(CampaignSpec.VARIANT, fallback);
    }

    /**
     * Runs {@code body} on {@link #threads()} daemon threads and waits for them until the duration plus
     * {@code grace}; rethrows the first failure. Threads still running after that are reported as stuck.
     */
    public void runThreads(Duration grace, ThreadBody body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < threads(); t++) {
            int no = t;
            threads.add(Threads.start("stresslab-worker-" + worker() + "-t" + t, () -> {
                try {
                    body.run(no);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        long end = startNanos + duration().plus(grace).toNanos();
        for (Thread th : threads) {
            th.join(Math.max(1, (end - HistoryClock.now()) / 1_000_000));
            if (th.isAlive()) {
                throw new IllegalStateException(th.getName() + " still running " + grace.toMillis()
                        + " ms after the duration");
            }
        }
        Throwable f = failure.get();
        if (f instanceof Exception e) {
            throw e;
        }
        if (f != null) {
            throw (Error) f;
        }
    }
}
