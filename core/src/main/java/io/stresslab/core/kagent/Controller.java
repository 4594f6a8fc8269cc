package io.stresslab.core.kagent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A controller with ONE worker thread draining its own {@link WorkQueue}, like controller-runtime with
 * MaxConcurrentReconciles=1. After a successful reconcile the key is re-queued after {@code resync} (kagent's
 * RemoteMCPServer controller resyncs every 60 s); a failed reconcile is re-queued with exponential backoff.
 */
public final class Controller<K> implements AutoCloseable {
    /** Reconciles one key to its desired state. */
    @FunctionalInterface
    public interface Reconciler<K> {
        void reconcile(K key) throws Exception;
    }

    /** Observes each reconcile: when it started and ended (System.nanoTime) and its failure, if any. */
    @FunctionalInterface
    public interface Listener<K> {
        void reconciled(K key, long startNanos, long endNanos, Throwable failure);
    }

    private static final Duration FIRST_RETRY = Duration.ofMillis(50);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final String name;
    private final Reconciler<K> reconciler;
    private final Duration resync;
    private final Listener<K> listener;
    private final WorkQueue<K> queue = new WorkQueue<>();
    private final ScheduledExecutorService timers;
    private final Thread worker;
    private final LongAdder reconciles = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile boolean stopped;

    /**
     * @param name       the worker thread is named {@code <name>-worker}
     * @param resync     re-queue each key this long after a successful reconcile; null = never
     */
    public Controller(String name, Reconciler<K> reconciler, Duration resync, Listener<K> listener) {
        this.name = name;
        this.reconciler = reconciler;
        this.resync = resync;
        this.listener = listener == null ? (k, s, e, f) -> { } : listener;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-requeue"));
        this.worker = daemon(this::work, name + "-worker");
    }

    private static Thread daemon(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
    }

    public Controller<K> start() {
        worker.start();
        return this;
    }

    /** An event for {@code key} (Create, Update or Delete: the reconcile reads the desired state itself). */
    public void enqueue(K key) {
        queue.add(key);
    }

    public String name() {
        return name;
    }

    public Thread workerThread() {
        return worker;
    }

    public long reconciles() {
        return reconciles.sum();
    }

    public long failures() {
        return failures.sum();
    }

    private void work() {
        int consecutiveFailures = 0;
        while (!stopped) {
            K key;
            try {
                key = queue.take(Duration.ofMillis(200));
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                continue;
            }
            long start = System.nanoTime();
            Throwable failure = null;
            try {
                reconciler.reconcile(key);
            } catch (InterruptedException e) {
                failure = e;
                stopped = true;
            } catch (Exception | Error e) {
                failure = e;
            } finally {
                queue.done(key);
            }
            long end = System.nanoTime();
            reconciles.increment();
            listener.reconciled(key, start, end, failure);
            if (failure == null) {
                consecutiveFailures = 0;
                requeueAfter(key, resync);
            } else if (!stopped) {
                failures.increment();
                consecutiveFailures++;
                long backoff = Math.min(MAX_RETRY.toMillis(),
                        FIRST_RETRY.toMillis() << Math.min(consecutiveFailures - 1, 10));
                requeueAfter(key, Duration.ofMillis(backoff));
            }
        }
    }

    private void requeueAfter(K key, Duration delay) {
        if (delay == null || stopped) {
            return;
        }
        if (delay.isZero()) {
            queue.add(key);
        } else {
            try {
                timers.schedule(() -> queue.add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stop() shut the timers down between our check and the schedule: nothing to requeue any more
            }
        }
    }

    /**
     * Stops the worker: no new work is taken, the worker is interrupted, and this waits up to {@code deadline} for it.
     * Returns whether it ended (a worker stuck in uninterruptible I/O may not, until that I/O fails).
     */
    public boolean stop(Duration deadline) {
        stopped = true;
        queue.shutDown();
        timers.shutdownNow();
        worker.interrupt();
        try {
            worker.join(Math.max(1, deadline.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !worker.isAlive();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
