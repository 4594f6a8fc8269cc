package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.Database;
import io.stresslab.core.orch.Breakdown;
import io.stresslab.core.orch.Subtask;
import io.stresslab.core.orch.SubtaskStatus;
import io.stresslab.core.orch.TaskStateManager;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.LatencyStats;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
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
            Probe probe = new Probe(tsm, caller);
            try {
                probe.walk();
                ConcurrentCompletions.Run run = ConcurrentCompletions.run(ctx, tsm, HANG);
                probe.readAll(run.parentIds());
                return new Seen(probe.steps, probe.wrong, probe.lastNanos, null, run);
            } catch (Hung h) {
                return new Seen(probe.steps, probe.wrong, probe.lastNanos, hang(tsm, h, bystander), null);
            } finally {
                caller.shutdownNow();
                bystander.shutdownNow();
            }
        }
    }

    /** The hang: does its thread wait for itself, does a second caller queue behind it; then interrupt it. */
    private static Hang hang(TaskStateManager tsm, Hung h, ExecutorService bystander) {
        boolean selfWait = h.outcome.dump().waitEdges().stream().anyMatch(e -> e.selfWait() && e.waiter().equals(CALLER));
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

    /** A call that did not return within {@link #HANG}. */
    private static final class Hung extends Exception {
        private static final long serialVersionUID = 1L;
        final transient String what;
        final transient Future<?> call;
        final transient Watchdog.Outcome<?> outcome;

        Hung(String what, Future<?> call, Watchdog.Outcome<?> outcome) {
            super(what, null, false, false);
            this.what = what;
            this.call = call;
            this.outcome = outcome;
        }
    }

    /** The single caller's steps, each a call on the caller thread bounded by {@link #HANG}. */
    private static final class Probe {
        final TaskStateManager tsm;
        final ExecutorService caller;
        final List<String> steps = new ArrayList<>();
        final List<String> wrong = new ArrayList<>();
        long lastNanos;

        Probe(TaskStateManager tsm, ExecutorService caller) {
            this.tsm = tsm;
            this.caller = caller;
        }

        void walk() throws Hung {
            List<String> ids = subtaskIds("probe", SUBTASKS);
            call("createBreakdown(probe, " + SUBTASKS + " subtasks)", () -> {
                tsm.createBreakdown("probe", "probe parent", ids);
                return null;
            });
            rejected("createBreakdown(empty, no subtasks)", () -> tsm.createBreakdown("empty", "", List.of()));
            rejected("completeSubtask(no-such-subtask)", () -> tsm.completeSubtask("no-such-subtask", "x"));
            expect(call("getBreakdown(empty)", () -> tsm.getBreakdown("empty")).isEmpty(), "rejects-bad-input",
                    "a rejected breakdown was stored anyway");
            for (int i = 0; i < SUBTASKS; i++) {
                String id = ids.get(i);
                long t0 = System.nanoTime();
                call("completeSubtask(" + id + ")", () -> {
                    tsm.completeSubtask(id, "result of " + id);
                    return null;
                });
                lastNanos = System.nanoTime() - t0;
                afterCompleting(ids, i + 1);
            }
            call("completeSubtask(" + ids.get(SUBTASKS - 1) + ") again", () -> {
                tsm.completeSubtask(ids.get(SUBTASKS - 1), "result of " + ids.get(SUBTASKS - 1));
                return null;
            });
            Breakdown again = breakdown("probe");
            expect(again.archiveCount() <= 1, "archives-once", "completing the last subtask again archived the "
                    + "parent again: " + again);
        }

        /** After {@code done} of the probe's subtasks are completed: the parent's state and its subtasks as read. */
        private void afterCompleting(List<String> ids, int done) throws Hung {
            Breakdown b = breakdown("probe");
            if (done < SUBTASKS) {
                expect(!b.archived(), "not-archived-early", "archived after " + done + "/" + SUBTASKS
                        + " subtasks completed: " + b);
            } else {
                expect(b.archived() && b.archiveCount() == 1, "archives-when-all-completed", "after the last "
                        + "subtask's completion returned: " + b);
            }
            List<Subtask> subs = call("getSubtasksForParent(probe)", () -> tsm.getSubtasksForParent("probe"));
            List<String> seen = subs.stream().map(t -> t.taskId() + "=" + t.status()).toList();
            List<String> want = IntStream.range(0, SUBTASKS).mapToObj(i -> ids.get(i) + "="
                    + (i < done ? SubtaskStatus.COMPLETED : SubtaskStatus.PENDING)).toList();
            boolean results = subs.stream().limit(done).allMatch(t -> ("result of " + t.taskId()).equals(t.results()));
            expect(seen.equals(want) && results, "reads-see-writes", "after " + done + " completions read " + seen
                    + " (expected " + want + (results ? "" : ", with each completion's results") + ")");
        }

        /** Reads every parent of the concurrent run, each call bounded: each must be archived exactly once. */
        void readAll(List<String> parents) throws Hung {
            List<String> off = new ArrayList<>();
            for (String p : parents) {
                Breakdown b = breakdown(p);
                if (!b.archived() || b.archiveCount() != 1) {
                    off.add(b.toString());
                }
            }
            expect(off.isEmpty(), "concurrent-callers, archives-once", off.size() + "/" + parents.size()
                    + " parents of the concurrent run not archived exactly once, e.g. "
                    + off.subList(0, Math.min(3, off.size())));
        }

        private Breakdown breakdown(String parent) throws Hung {
            Optional<Breakdown> b = call("getBreakdown(" + parent + ")", () -> tsm.getBreakdown(parent));
            return b.orElse(new Breakdown(parent, false, 0));
        }

        private void rejected(String what, Runnable body) throws Hung {
            try {
                call(what, () -> {
                    body.run();
                    return null;
                });
                wrong.add("rejects-bad-input: " + what + " was accepted");
            } catch (IllegalArgumentException e) {
                steps.add(what + " → rejected: " + e.getMessage());
            }
        }

        private void expect(boolean ok, String obligation, String detail) {
            if (!ok) {
                wrong.add(obligation + ": " + detail);
            }
        }

        /** Runs {@code body} on the caller thread; a hang throws {@link Hung}, a failure its cause. */
        private <T> T call(String what, Callable<T> body) throws Hung {
            Future<T> f = caller.submit(body);
            Watchdog.Outcome<T> o = Watchdog.awaitFuture(what, HANG, f);
            if (o.timedOut()) {
                steps.add(what + " → no return within " + HANG.toMillis() + " ms");
                throw new Hung(what, f, o);
            }
            try {
                T value = f.get();
                steps.add(what + " → returned in " + o.waited().toMillis() + " ms");
                return value;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during " + what);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IllegalArgumentException iae) {
                    throw iae;
                }
                throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
            }
        }
    }

    static List<String> subtaskIds(String parent, int n) {
        return IntStream.range(0, n).mapToObj(i -> parent + "-s" + i).toList();
    }
}
