package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.orch.WorkClaimer;
import io.stresslab.core.orch.WorkItems;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.LatencyStats;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Watchdog;
import io.stresslab.stress.harness.WorkerPools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * The work claimer's check, the same for every claimer, {@value #WORKERS} workers with their own pools: worker 1 dies
 * inside its first item (its {@code process} throws); then worker 1 claims an item and holds it (still processing)
 * while worker 2 claims; then all three drain the queue. The item a worker died in must be processed later, worker 2
 * must get another item at once (not wait, not nothing), and every item must be processed exactly once. A worker-2
 * blocked on a lock is seen in the database's own lock view as the wait forms ({@link WorkerPools#lockWaitWatch}),
 * not at the {@link #PEER_BOUND}.
 */
final class ClaimWhilePeerHolds {
    static final int WORKERS = 3;
    static final Duration PEER_BOUND = Duration.ofSeconds(2);

    private ClaimWhilePeerHolds() {
    }

    /** A worker's process failing: it "died" inside the item. */
    private static final class WorkerDied extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WorkerDied() {
            super("worker died mid-item", null, false, false);
        }
    }

    /**
     * What happened: the item the dying worker was given (0: none) and whether its failure left claimOne; worker 1's
     * and worker 2's items while worker 1 held its (peerWaited: no answer within the bound; 0: empty); how often each
     * item was processed; items left pending; a stalled drain.
     */
    record Seen(int items, long diedIn, boolean failurePropagated, long held, long peerItem, boolean peerWaited,
                long peerMillis, List<String> lockWaits, Map<Long, Integer> processed, long pending,
                List<Long> claimNanos, Watchdog.Outcome<?> stall, long transientRetries) {
        long twice() {
            return processed.values().stream().filter(n -> n > 1).count();
        }

        List<Long> missing() {
            return LongStream.rangeClosed(1, items).filter(id -> !processed.containsKey(id)).boxed().toList();
        }
    }

    static Seen run(CheckContext ctx, Subject<WorkClaimer> subject) throws Exception {
        int items = ctx.ops(60);
        try (WorkerPools pools = WorkerPools.open(ctx, WORKERS, 2)) {
            WorkItems.seed(pools.checker(), items);
            List<WorkClaimer> claimers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                claimers.add(subject.create(Env.of(pools.worker(w))));
            }
            Map<Long, Integer> processed = new ConcurrentHashMap<>();
            ExecutorService ex = Executors.newFixedThreadPool(WORKERS, Threads.named("orch2-claimer"));
            CountDownLatch resume = new CountDownLatch(1);
            try {
                Death death = dieMidItem(ex, claimers.get(0));
                CountDownLatch holding = new CountDownLatch(1);
                Future<OptionalLong> first = ex.submit(() -> claimers.get(0).claimOne("worker-1", id -> {
                    processed.merge(id, 1, Integer::sum);
                    holding.countDown();
                    await(resume);
                }));
                if (Watchdog.awaitLatch("worker-1 holds a claimed item", Duration.ofSeconds(10), holding).timedOut()) {
                    throw new IllegalStateException("worker-1 never claimed an item of " + items);
                }
                Future<OptionalLong> second = ex.submit(() -> claimers.get(1).claimOne("worker-2",
                        id -> processed.merge(id, 1, Integer::sum)));
                // worker-2 blocked on a lock (worker-1's row) is seen in the database as it forms, not at the bound
                WorkerPools.LockWaitWatch blocked = pools.lockWaitWatch(3);
                Watchdog.Outcome<Void> peer = Watchdog.awaitCondition("worker-2 claims while worker-1 holds an item",
                        PEER_BOUND, () -> second.isDone() || blocked.formed());
                boolean peerWaited = !peer.completed() || !second.isDone();
                resume.countDown();
                long held = done(Watchdog.awaitFuture("worker-1 finishes", Duration.ofSeconds(15), first));
                long peerItem = done(Watchdog.awaitFuture("worker-2 finishes", Duration.ofSeconds(15), second));
                ConcurrentLinkedQueue<Long> claimNanos = new ConcurrentLinkedQueue<>();
                Watchdog.Outcome<?> stall = drain(ex, claimers, processed, claimNanos);
                return new Seen(items, death.item(), death.propagated(), held, peerItem, peerWaited,
                        peer.waited().toMillis(), peerWaited && peer.completed() ? blocked.waits() : List.of(),
                        Map.copyOf(processed), WorkItems.pending(pools.checker()), List.copyOf(claimNanos), stall,
                        pools.transientRetries());
            } finally {
                resume.countDown();
                ex.shutdownNow();
            }
        }
    }

    /** All workers claim until each gets nothing; null, or the watchdog's outcome of a stalled drain. */
    private static Watchdog.Outcome<?> drain(ExecutorService ex, List<WorkClaimer> claimers,
                                             Map<Long, Integer> processed, ConcurrentLinkedQueue<Long> claimNanos)
            throws Exception {
        List<Future<?>> drains = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            WorkClaimer claimer = claimers.get(w);
            String name = "worker-" + (w + 1);
            drains.add(ex.submit(() -> {
                for (long t0 = System.nanoTime(); claimer.claimOne(name, id -> processed.merge(id, 1, Integer::sum))
                        .isPresent(); t0 = System.nanoTime()) {
                    claimNanos.add(System.nanoTime() - t0);
                }
            }));
        }
        for (Future<?> f : drains) {
            Watchdog.Outcome<?> o = Watchdog.awaitProgress("draining work items", Duration.ofSeconds(60),
                    Duration.ofSeconds(15), claimNanos::size, f::isDone);
            if (o.timedOut()) {
                return o;
            }
            f.get();
        }
        return null;
    }

    /** The item worker 1 died in (0: none given) and whether its claim failed with that failure. */
    private record Death(long item, boolean propagated) {
    }

    private static Death dieMidItem(ExecutorService ex, WorkClaimer claimer) throws Exception {
        AtomicLong diedIn = new AtomicLong();
        Future<OptionalLong> dying = ex.submit(() -> claimer.claimOne("worker-1", id -> {
            diedIn.set(id);
            throw new WorkerDied();
        }));
        Watchdog.Outcome<OptionalLong> o = Watchdog.awaitFuture("worker-1 dies mid-item", Duration.ofSeconds(15),
                dying);
        if (o.timedOut()) {
            throw new IllegalStateException(o.describe());
        }
        try {
            dying.get();
            return new Death(diedIn.get(), false);
        } catch (ExecutionException e) {
            return new Death(diedIn.get(), e.getCause() instanceof WorkerDied);
        }
    }

    /** The item a finished claim returned, 0 for none. */
    private static long done(Watchdog.Outcome<OptionalLong> o) {
        if (o.timedOut()) {
            throw new IllegalStateException(o.describe());
        }
        return o.value().orElse(0);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Findings judge(Seen s) {
        return new Findings()
                .check(!s.failurePropagated(), "crash-safe", () -> "worker-1's claim did not fail with its process's "
                        + "failure" + (s.diedIn() == 0 ? " (process was never called)" : ""))
                .check(s.diedIn() != 0 && !s.processed().containsKey(s.diedIn()), "crash-safe", () -> "item "
                        + s.diedIn() + ", whose worker died mid-item, was never processed")
                .check(s.peerWaited(), "no-wait-on-peer", () -> "worker-2 waited for worker-1's item: " + (s
                        .lockWaits().isEmpty() ? "no claim within " + PEER_BOUND.toMillis() + " ms" : "blocked on a"
                        + " lock another session holds, seen in the database " + s.peerMillis() + " ms into its claim"))
                .check(!s.peerWaited() && s.peerItem() == 0, "no-wait-on-peer", () -> "worker-2 found nothing while "
                        + "worker-1 held one of " + s.items() + " items")
                .check(s.twice() > 0, "exactly-once", () -> s.twice() + " items processed more than once"
                        + (s.peerItem() != 0 && s.peerItem() == s.held() ? " (worker-2 got worker-1's item "
                        + s.held() + ")" : ""))
                .check(!s.missing().isEmpty(), "exactly-once", () -> s.missing().size() + " items never processed, "
                        + "e.g. " + s.missing().subList(0, Math.min(5, s.missing().size())))
                .check(s.pending() > 0, "drains", () -> s.pending() + " items left pending after every claim "
                        + "answered empty")
                .check(s.stall() != null, "drains", () -> "draining stalled: " + s.stall().describe());
    }

    static Observation describe(Seen s, Findings f) {
        Observation o = f.observe(s.items() + " items, " + WORKERS + " workers (own pools): one died mid-item "
                        + s.diedIn() + ", worker-2 claimed " + (s.peerWaited() ? "nothing yet" : "item " + s.peerItem())
                        + " in " + s.peerMillis() + " ms while worker-1 held item " + s.held() + ", then a drain: "
                        + s.processed().size() + " processed, " + s.twice() + " twice, " + s.pending() + " left",
                "the dead worker's item processed later, every item exactly once")
                .operations(s.items())
                .metric("transientRetries", s.transientRetries())
                .metric("peerWaited", s.peerWaited())
                .metric("peerFoundNothing", !s.peerWaited() && s.peerItem() == 0)
                .metric("peerClaimMs", s.peerMillis())
                .metric("processedTwice", s.twice())
                .metric("pending", s.pending());
        o.metric("claimLatency", LatencyStats.ofNanos(s.claimNanos()).toMetric());
        if (!s.lockWaits().isEmpty()) {
            o.evidence("lockWaits", s.lockWaits());
        }
        if (s.stall() != null) {
            o.evidence("threadDump", s.stall().dump().toEvidence("orch2-"));
        }
        return o;
    }
}
