package io.stresslab.stress.campaign;

import io.stresslab.stress.history.HistoryRecorder;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Database-free workloads that exercise the engine's own paths: success, failure, hang, kill. */
final class EngineWorkloads {
    private EngineWorkloads() {
    }

    /** Records ops until the budget ends; every few ops leaves one in flight across a pause, to be killed in. */
    public static final class Steady implements Workload {
        @Override
        public void run(WorkerContext ctx) throws Exception {
            ctx.runThreads(Duration.ofSeconds(10), t -> {
                CountDownLatch never = new CountDownLatch(1);
                while (ctx.nextOp()) {
                    HistoryRecorder.Pending op = ctx.history().invoke("write", "k" + ctx.worker(), "" + t);
                    never.await(2, java.util.concurrent.TimeUnit.MILLISECONDS); // an op that takes a while
                    op.ok(null);
                }
            });
        }
    }

    /** Fails at once with a one-line reason. */
    public static final class Failing implements Workload {
        @Override
        public void run(WorkerContext ctx) {
            if (ctx.worker() == 1) {
                throw new IllegalStateException("scenario set-up broke on worker " + ctx.worker());
            }
        }
    }

    /** Worker 0 never returns: the coordinator must dump and kill it at the deadline. */
    public static final class Hanging implements Workload {
        @Override
        public void run(WorkerContext ctx) throws InterruptedException {
            if (ctx.worker() == 0) {
                new CountDownLatch(1).await();
            }
        }
    }

    /** No public no-argument constructor: no worker can instantiate it. */
    public static final class Unconstructible implements Workload {
        public Unconstructible(String unused) {
        }

        @Override
        public void run(WorkerContext ctx) {
        }
    }

    /**
     * Critical sections without any lock: {@code enter}/{@code exit} of key {@code shared} (every worker: sections
     * overlap at once) or, with parameter {@code ownKey=1}, of the worker's own key, one thread each (never overlap).
     */
    public static final class Sections implements Workload {
        @Override
        public void run(WorkerContext ctx) throws Exception {
            String key = ctx.intParam("ownKey", 0) == 1 ? "own-" + ctx.worker() : "shared";
            ctx.runThreads(Duration.ofSeconds(10), t -> {
                CountDownLatch never = new CountDownLatch(1);
                while (ctx.nextOp()) {
                    ctx.history().invoke("enter", key).ok("");
                    never.await(1, java.util.concurrent.TimeUnit.MILLISECONDS); // inside for a while
                    ctx.history().invoke("exit", key).ok("");
                }
            });
        }
    }
}
