package io.stresslab.stress.campaign;

/**
 * What each worker JVM of a campaign runs. A scenario implements it in a public class with a public no-argument
 * constructor; {@link WorkerMain} instantiates it by class name in every worker. {@code run} does the worker's share
 * of the work — typically {@code while (ctx.nextOp()) { ... }} on {@link WorkerContext#threads()} threads via
 * {@link WorkerContext#runThreads} — recording every operation in {@link WorkerContext#history()}, and returns when
 * the budget is spent. Throwing fails the worker (reported with the exception's message).
 */
@FunctionalInterface
public interface Workload {
    void run(WorkerContext ctx) throws Exception;
}
