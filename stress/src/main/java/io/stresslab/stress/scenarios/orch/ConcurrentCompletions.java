package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.orch.TaskStateManager;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.LatencyStats;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * ORCH-1's concurrent part: {@value #CALLERS} callers complete the subtasks of many parents in a shuffled order while
 * a reader keeps calling {@code getSubtasksForParent}; the {@link Watchdog} reports a stall (no completion for the
 * hang bound). Afterwards the probe reads every parent, which must be archived exactly once.
 */
final class ConcurrentCompletions {
    static final int CALLERS = 4;

    private ConcurrentCompletions() {
    }

    /** What the run saw: how much work, a stall (or null), the parents not archived exactly once. */
    record Run(int parents, int subtasks, int reads, List<Long> latencies, Watchdog.Outcome<?> stall) {
        List<String> parentIds() {
            return stall != null ? List.of() : IntStream.range(0, parents).mapToObj(p -> "p" + p).toList();
        }

        void judge(Findings f) {
            f.check(stall != null, "concurrent-callers", () -> "concurrent completions stalled: " + stall.describe());
        }

        String describe() {
            return subtasks + " subtasks of " + parents + " parents completed by " + CALLERS + " concurrent callers ("
                    + latencies.size() + " returned) beside " + reads + " reads";
        }

        long operations() {
            return (long) latencies.size() + reads;
        }

        void addTo(Observation o) {
            o.metric("parents", parents).metric("subtasks", subtasks).metric("reads", reads)
                    .metric("completeLatency", LatencyStats.ofNanos(latencies).toMetric());
            if (stall != null) {
                o.evidence("stall", stall.describe()).evidence("stallThreadDump", stall.dump().toEvidence("orch1-"));
            }
        }
    }

    static Run run(CheckContext ctx, TaskStateManager tsm, Duration stallWindow) throws Exception {
        int parents = ctx.ops(25);
        List<String> all = new ArrayList<>();
        for (int p = 0; p < parents; p++) {
            List<String> ids = CompleteLastSubtask.subtaskIds("p" + p, CompleteLastSubtask.SUBTASKS);
            tsm.createBreakdown("p" + p, "parent " + p, ids);
            all.addAll(ids);
        }
        Collections.shuffle(all, new Random(ctx.seed()));
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(all);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS + 1, Threads.named("orch1-worker"));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                done.add(pool.submit(() -> {
                    for (String id; (id = queue.poll()) != null; ) {
                        long t0 = System.nanoTime();
                        tsm.completeSubtask(id, "result of " + id);
                        latencies.add(System.nanoTime() - t0);
                    }
                }));
            }
            done.add(pool.submit(() -> {
                while (!queue.isEmpty() || reads.get() < parents) {
                    tsm.getSubtasksForParent("p" + (reads.getAndIncrement() % parents));
                }
            }));
            for (Future<?> f : done) {
                Watchdog.Outcome<?> o = Watchdog.awaitProgress("concurrent completions", Duration.ofSeconds(60),
                        stallWindow, latencies::size, f::isDone);
                if (o.timedOut()) {
                    return new Run(parents, all.size(), reads.get(), List.copyOf(latencies), o);
                }
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Run(parents, all.size(), reads.get(), List.copyOf(latencies), null);
    }
}
