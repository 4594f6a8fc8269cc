package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.Database;
import io.stresslab.core.orch.Breakdown;
import io.stresslab.core.orch.LockOnceTaskStateManager;
import io.stresslab.core.orch.ReenteringTaskStateManager;
import io.stresslab.core.orch.TaskStateManager;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.LatencyStats;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.ThreadDump;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Watchdog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * ORCH-1: completing a subtask re-takes the state manager's non-reentrant lock and hangs. Both variants run the same
 * check: one caller completes every subtask of a probe parent (each call bounded by the {@link Watchdog}); if that
 * worked, {@value #CALLERS} callers complete the subtasks of many parents concurrently while a reader keeps calling
 * {@code getSubtasksForParent}.
 */
public final class Orch1Scenario implements Scenario {
    static final String BUG = "ORCH-1";
    /** A call that has not returned by then is reported as a hang. */
    static final Duration HANG = Duration.ofSeconds(2);
    /** The seed's bound for completing the last subtask (a wide margin: it takes milliseconds). */
    static final Duration LAST_SUBTASK_BOUND = Duration.ofSeconds(1);
    static final int CALLERS = 4;
    static final int SUBTASKS = 4;
    private static final String CALLER = "orch1-caller";
    private static final String BYSTANDER = "orch1-bystander";

    @Override
    public String bug() {
        return BUG;
    }


    @Override
    public List<CheckSpec> checks() {
        return List.of(
                CheckSpec.onDatabases(BUG, "reentering-lock", Expect.REPRODUCE, Tool.LIVENESS,
                        "complete-last-subtask", ctx -> run(ctx, ReenteringTaskStateManager::new)),
                CheckSpec.onDatabases(BUG, "lock-once", Expect.HOLD, Tool.LIVENESS, "complete-last-subtask",
                        ctx -> run(ctx, LockOnceTaskStateManager::new)));
    }

    private static Observation run(CheckContext ctx, Function<Database, TaskStateManager> variant) throws Exception {
        try (Database db = ctx.openDatabase()) {
            TaskStateManager tsm = variant.apply(db);
            List<String> probe = subtaskIds("probe", SUBTASKS);
            tsm.createBreakdown("probe", "probe parent", probe);
            ExecutorService caller = Executors.newSingleThreadExecutor(r -> new Thread(r, CALLER));
            ExecutorService bystander = Executors.newSingleThreadExecutor(r -> new Thread(r, BYSTANDER));
            try {
                long lastNanos = 0;
                for (String id : probe) {
                    long t0 = System.nanoTime();
                    Future<?> call = caller.submit(() -> tsm.completeSubtask(id, "done"));
                    Watchdog.Outcome<?> o = Watchdog.awaitFuture("completeSubtask(" + id + ")", HANG, call);
                    if (o.timedOut()) {
                        return reportHang(db, tsm, id, o, bystander, call);
                    }
                    call.get();
                    lastNanos = System.nanoTime() - t0;
                }
                return concurrentPhase(ctx, tsm, lastNanos);
            } finally {
                caller.shutdownNow();
                bystander.shutdownNow();
            }
        }
    }

    /** The hang: name the self-wait, show a second call queueing behind it, then free both threads. */
    private static Observation reportHang(Database db, TaskStateManager tsm, String id, Watchdog.Outcome<?> hang,
                                          ExecutorService bystander, Future<?> call) {
        ThreadDump dump = hang.dump();
        boolean selfWait = dump.waitEdges().stream().anyMatch(e -> e.selfWait() && e.waiter().equals(CALLER));
        Future<?> other = bystander.submit(() -> tsm.getBreakdown("probe"));
        Watchdog.Outcome<?> blocked = Watchdog.awaitFuture("getBreakdown(probe) from another thread",
                Duration.ofMillis(500), other);
        boolean otherBlocked = blocked.timedOut() && blocked.dump().waitEdges().stream()
                .anyMatch(e -> e.waiter().equals(BYSTANDER) && e.owner().equals(CALLER));
        String row = subtaskRow(db, id);
        call.cancel(true); // interrupts the stuck caller: its inner lock wait throws, its finally frees the lock
        Watchdog.Outcome<?> freed = Watchdog.awaitFuture("blocked call after the stuck caller was interrupted", HANG,
                other);
        return Observation.of(selfWait && otherBlocked, "completeSubtask(" + id + ") hung: no return after "
                        + hang.waited().toMillis() + " ms, " + CALLER + " waits for the lock it holds itself"
                        + (otherBlocked ? "; a second caller's getBreakdown blocked behind it" : "")
                        + "; the subtask row was already committed as " + row)
                .operations(2)
                .metric("hangDetectedMs", hang.waited().toMillis())
                .metric("selfWaitEdge", selfWait)
                .metric("otherCallBlocked", otherBlocked)
                .metric("lockFreeAfterCleanup", freed.completed() && !tsm.lock().isLocked())
                .evidence("hang", hang.describe())
                .evidence("threadDump", dump.toEvidence("orch1-"))
                .evidence("otherCall", blocked.describe())
                .evidence("otherCallWaitsFor", blocked.timedOut() ? blocked.dump().describeWaits() : List.of())
                .evidence("subtaskRow", id + " " + row);
    }

    /** After the probe: many parents completed by concurrent callers, with a reader in between. */
    private static Observation concurrentPhase(CheckContext ctx, TaskStateManager tsm, long probeLastNanos)
            throws Exception {
        int parents = ctx.ops(25);
        List<String> all = new ArrayList<>();
        for (int p = 0; p < parents; p++) {
            List<String> ids = subtaskIds("p" + p, SUBTASKS);
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
                        HANG, latencies::size, f::isDone);
                if (o.timedOut()) {
                    pool.shutdownNow();
                    return Observation.bugObserved("concurrent completions stalled: " + o.describe())
                            .operations(latencies.size()).evidence("threadDump", o.dump().toEvidence("orch1-"));
                }
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> wrong = new ArrayList<>();
        for (int p = 0; p < parents; p++) {
            Breakdown b = tsm.getBreakdown("p" + p).orElseThrow();
            if (!b.archived() || b.archiveCount() != 1) {
                wrong.add(b.toString());
            }
        }
        Breakdown probe = tsm.getBreakdown("probe").orElseThrow();
        boolean lastFast = probeLastNanos <= LAST_SUBTASK_BOUND.toNanos();
        boolean lockFree = !tsm.lock().isLocked();
        boolean ok = wrong.isEmpty() && probe.archiveCount() == 1 && lastFast && lockFree;
        Observation o = Observation.of(!ok, (ok ? "" : "VIOLATED: ") + "last subtask of the probe returned in "
                        + LatencyStats.millis(probeLastNanos) + " ms and archived it once; " + all.size()
                        + " subtasks of " + parents + " parents completed by " + CALLERS + " concurrent callers beside "
                        + reads.get() + " reads: " + (parents - wrong.size()) + "/" + parents
                        + " archived exactly once, lock free afterwards: " + lockFree)
                .operations(all.size() + SUBTASKS + reads.get())
                .metric("probeLastSubtaskMs", LatencyStats.millis(probeLastNanos))
                .metric("parents", parents)
                .metric("subtasks", all.size())
                .metric("reads", reads.get());
        o.metric("completeLatency", LatencyStats.ofNanos(latencies).toMetric());
        if (!wrong.isEmpty()) {
            o.evidence("notArchivedExactlyOnce", wrong.subList(0, Math.min(10, wrong.size())));
        }
        return o;
    }

    private static List<String> subtaskIds(String parent, int n) {
        return IntStream.range(0, n).mapToObj(i -> parent + "-s" + i).toList();
    }

    /** The subtask's status, read straight from the table (the manager's own readers would block). */
    private static String subtaskRow(Database db, String id) {
        return db.inTransaction((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT s.status, b.archived FROM subtasks s JOIN "
                    + "task_breakdowns b ON b.parent_task_id = s.parent_task_id WHERE s.task_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) + " (parent archived: " + rs.getBoolean(2) + ")" : "missing";
                }
            }
        });
    }
}
