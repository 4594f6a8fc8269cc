package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.Database;
import io.stresslab.core.orch.Breakdown;
import io.stresslab.core.orch.TaskStateManager;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.LatencyStats;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * ORCH-1's check, the same steps and judge for every manager: one caller walks a probe parent through its life
 * (bad input, each subtask completed, the parent read after every step, the last subtask completed twice), every call
 * bounded by the {@link Watchdog}; then {@link ConcurrentCompletions} runs many callers beside a reader. A call that
 * does not return is reported with the thread dump, and a second caller's call shows whether it queues behind it.
 */
final class CompleteLastSubtask {
    /** A call that has not returned by then is a hang. */
    static final Duration HANG = Duration.ofSeconds(2);
    /** The seed's bound for completing the last subtask (a wide margin: it takes milliseconds). */
    static final Duration LAST_SUBTASK_BOUND = Duration.ofSeconds(1);
    static final int SUBTASKS = 4;
    static final String CALLER = "orch1-caller";
    private static final String BYSTANDER = "orch1-bystander";

    private CompleteLastSubtask() {
    }

    /** A call that did not return: the watchdog's outcome, the self-wait edge, and a second caller's fate. */
    record Hang(String call, Watchdog.Outcome<?> outcome, boolean selfWait, Watchdog.Outcome<?> other,
                boolean otherBlocked, boolean freed) {
    }

    /** The steps taken, the contract violations they showed, the last subtask's latency, a hang, the concurrent run. */
    record Seen(List<String> steps, List<String> wrong, long lastNanos, Hang hang, ConcurrentCompletions.Run run) {
    }

    static Seen run(CheckContext ctx, Subject<TaskStateManager> subject) throws Exception {
        try (Database db = ctx.openDatabase()) {
            TaskStateManager tsm = subject.create(Env.of(db));
            ExecutorService caller = Executors.newSingleThreadExecutor(Threads.single(CALLER));
            ExecutorService bystander = Executors.newSingleThreadExecutor(Threads.single(BYSTANDER));
            SubtaskProbe probe = new SubtaskProbe(tsm, caller);
            try {
                probe.walk();
                ConcurrentCompletions.Run run = ConcurrentCompletions.run(ctx, tsm, HANG);
                probe.readAll(run.parentIds());
                return new Seen(probe.steps(), probe.wrong(), probe.lastNanos(), null, run);
            } catch (SubtaskProbe.Hung h) {
                return new Seen(probe.steps(), probe.wrong(), probe.lastNanos(), hang(tsm, h, bystander), null);
            } finally {
                caller.shutdownNow();
                bystander.shutdownNow();
            }
        }
    }

    /** The hang: does its thread wait for itself, does a second caller queue behind it; then interrupt it. */
    private static Hang hang(TaskStateManager tsm, SubtaskProbe.Hung h, ExecutorService bystander) {
        boolean selfWait = h.outcome.dump().waitEdges().stream()
                .anyMatch(e -> e.selfWait() && e.waiter().equals(CALLER));
        Future<?> other = bystander.submit(() -> tsm.getBreakdown("probe"));
        Watchdog.Outcome<?> blocked = Watchdog.awaitFuture("getBreakdown(probe) from another thread",
                Duration.ofMillis(500), other);
        boolean otherBlocked = blocked.timedOut() && blocked.dump().waitEdges().stream()
                .anyMatch(e -> e.waiter().equals(BYSTANDER) && e.owner().equals(CALLER));
        h.call.cancel(true); // interrupts the stuck caller: an interruptible lock wait throws and frees the lock
        Watchdog.Outcome<?> freed = Watchdog.awaitFuture("blocked call after the stuck caller was interrupted", HANG,
                other);
        return new Hang(h.what, h.outcome, selfWait, blocked, otherBlocked, freed.completed());
    }

    static Findings judge(Seen s) {
        Findings f = new Findings();
        s.wrong().forEach(w -> f.add(w.substring(0, w.indexOf(':')), w.substring(w.indexOf(':') + 2)));
        Hang h = s.hang();
        f.check(h != null, "calls-return", () -> h.call() + " did not return within " + HANG.toMillis() + " ms"
                + (h.selfWait() ? ", its thread waits for a lock it holds itself" : "")
                + (h.otherBlocked() ? "; another caller's getBreakdown queued behind it" : ""));
        f.check(h == null && s.lastNanos() > LAST_SUBTASK_BOUND.toNanos(), "calls-return",
                () -> "completing the probe's last subtask took " + LatencyStats.millis(s.lastNanos()) + " ms (bound "
                        + LAST_SUBTASK_BOUND.toMillis() + " ms)");
        if (s.run() != null) {
            s.run().judge(f);
        }
        return f;
    }

    static Observation describe(Seen s, Findings f) {
        String work = s.steps().size() + " bounded calls on a probe parent of " + SUBTASKS + " subtasks"
                + (s.run() == null ? "" : " and " + s.run().describe());
        Observation o = f.observe(work, "the last subtask returned in " + LatencyStats.millis(s.lastNanos())
                        + " ms and archived its parent once; every step as the contract says")
                .operations(s.steps().size() + (s.run() == null ? 0 : s.run().operations()))
                .evidence("steps", s.steps());
        o.metric("probeLastSubtaskMs", LatencyStats.millis(s.lastNanos()));
        Hang h = s.hang();
        if (h != null) {
            o.metric("hangDetectedMs", h.outcome().waited().toMillis()).metric("selfWaitEdge", h.selfWait())
                    .metric("otherCallBlocked", h.otherBlocked()).metric("stuckCallFreed", h.freed())
                    .evidence("hang", h.outcome().describe())
                    .evidence("threadDump", h.outcome().dump().toEvidence("orch1-"))
                    .evidence("otherCall", h.other().describe());
        }
        if (s.run() != null) {
            s.run().addTo(o);
        }
        return o;
    }

    static List<String> subtaskIds(String parent, int n) {
        return IntStream.range(0, n).mapToObj(i -> parent + "-s" + i).toList();
    }
}
