package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.orch.Breakdown;
import io.stresslab.core.orch.Subtask;
import io.stresslab.core.orch.SubtaskStatus;
import io.stresslab.core.orch.TaskStateManager;
import io.stresslab.stress.harness.Watchdog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * ORCH-1's single caller: a probe parent walked through its life, each call on the caller thread bounded by
 * {@link CompleteLastSubtask#HANG}; what each step answered and which obligation a wrong answer breaks.
 */
final class SubtaskProbe {
    /** A call that did not return within the hang bound. */
    static final class Hung extends Exception {
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

    private final TaskStateManager tsm;
    private final ExecutorService caller;
    private final List<String> steps = new ArrayList<>();
    private final List<String> wrong = new ArrayList<>();
    private long lastNanos;

    SubtaskProbe(TaskStateManager tsm, ExecutorService caller) {
        this.tsm = tsm;
        this.caller = caller;
    }

    List<String> steps() {
        return steps;
    }

    /** The contract violations the steps showed, as "obligation: detail". */
    List<String> wrong() {
        return wrong;
    }

    /** How long completing the probe's last subtask took. */
    long lastNanos() {
        return lastNanos;
    }

    void walk() throws Hung {
        List<String> ids = CompleteLastSubtask.subtaskIds("probe", CompleteLastSubtask.SUBTASKS);
        call("createBreakdown(probe, " + CompleteLastSubtask.SUBTASKS + " subtasks)", () -> {
            tsm.createBreakdown("probe", "probe parent", ids);
            return null;
        });
        rejected("createBreakdown(empty, no subtasks)", () -> tsm.createBreakdown("empty", "", List.of()));
        rejected("completeSubtask(no-such-subtask)", () -> tsm.completeSubtask("no-such-subtask", "x"));
        expect(call("getBreakdown(empty)", () -> tsm.getBreakdown("empty")).isEmpty(), "rejects-bad-input",
                "a rejected breakdown was stored anyway");
        for (int i = 0; i < CompleteLastSubtask.SUBTASKS; i++) {
            String id = ids.get(i);
            long t0 = System.nanoTime();
            call("completeSubtask(" + id + ")", () -> {
                tsm.completeSubtask(id, "result of " + id);
                return null;
            });
            lastNanos = System.nanoTime() - t0;
            afterCompleting(ids, i + 1);
        }
        call("completeSubtask(" + ids.get(CompleteLastSubtask.SUBTASKS - 1) + ") again", () -> {
            tsm.completeSubtask(ids.get(CompleteLastSubtask.SUBTASKS - 1),
                    "result of " + ids.get(CompleteLastSubtask.SUBTASKS - 1));
            return null;
        });
        Breakdown again = breakdown("probe");
        expect(again.archiveCount() <= 1, "archives-once", "completing the last subtask again archived the "
                + "parent again: " + again);
    }

    /** After {@code done} of the probe's subtasks are completed: the parent's state and its subtasks as read. */
    private void afterCompleting(List<String> ids, int done) throws Hung {
        Breakdown b = breakdown("probe");
        if (done < CompleteLastSubtask.SUBTASKS) {
            expect(!b.archived(), "not-archived-early", "archived after " + done + "/" + CompleteLastSubtask.SUBTASKS
                    + " subtasks completed: " + b);
        } else {
            expect(b.archived() && b.archiveCount() == 1, "archives-when-all-completed", "after the last "
                    + "subtask's completion returned: " + b);
        }
        List<Subtask> subs = call("getSubtasksForParent(probe)", () -> tsm.getSubtasksForParent("probe"));
        List<String> seen = subs.stream().map(t -> t.taskId() + "=" + t.status()).toList();
        List<String> want = IntStream.range(0, CompleteLastSubtask.SUBTASKS).mapToObj(i -> ids.get(i) + "="
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
        Watchdog.Outcome<T> o = Watchdog.awaitFuture(what, CompleteLastSubtask.HANG, f);
        if (o.timedOut()) {
            steps.add(what + " → no return within " + CompleteLastSubtask.HANG.toMillis() + " ms");
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
