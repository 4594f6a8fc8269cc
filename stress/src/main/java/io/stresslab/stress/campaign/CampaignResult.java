package io.stresslab.stress.campaign;

import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.TimeTable;
import io.stresslab.stress.history.History;
import io.stresslab.stress.history.HistoryChecker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a campaign produced: the merged history (in memory and as {@code mergedHistory}, JSON lines), how each worker
 * ended, the faults injected, and timings — {@code startup} from the first worker process start to the go (every
 * worker joined the start barrier; recorded as the {@code workerStartMillis} metric too), {@code run} from the go to
 * the last worker's exit. The scenario then runs its checkers over {@link #history()}.
 *
 * <p>With a live judge ({@link CampaignSpec.Builder#liveJudge}): {@code liveViolation} is the first violation it saw
 * (null: none) and {@code detectedAfter} the time from the go to its detection (null: none); the workers were stopped
 * there. In streaming mode ({@link CampaignSpec.Builder#streaming}) {@code history} is empty and
 * {@code mergedHistory} is the campaign folder holding the worker files; {@code operations} counts the operations
 * either way.
 */
public record CampaignResult(String name, long seed, Path dir, Path mergedHistory, History history,
                             List<WorkerOutcome> workers, List<FaultEvent> faults, Duration startup, Duration run,
                             long operations, HistoryChecker.Violation liveViolation, Duration detectedAfter) {

    /** Whether the live judge stopped the run at a violation. */
    public boolean stoppedAtViolation() {
        return liveViolation != null;
    }

    /** Whether every worker joined the barrier and ended as intended (done, or killed by a fault). */
    public boolean allWorkersHealthy() {
        return workers.stream().allMatch(WorkerOutcome::healthy);
    }

    /** One line per worker that did not end as intended. */
    public List<String> unhealthyWorkers() {
        return workers.stream().filter(w -> !w.healthy()).map(WorkerOutcome::describe).toList();
    }

    /** Sum of one numeric worker metric (e.g. {@code injectedTransientFaults}, {@code retries}) over all workers. */
    public long metricTotal(String name) {
        return workers.stream().map(w -> w.metrics().get(name)).filter(v -> v instanceof Number)
                .mapToLong(v -> ((Number) v).longValue()).sum();
    }

    /** One line: {@code counter: 3 workers, 1,234 ops (OK=..., FAIL=..., INFO=...), 2 faults, run 4,012 ms}. */
    public String describe() {
        return name + ": " + workers.size() + " workers, " + operations + " ops "
                + (history.size() == operations ? history.statusCounts() + ", " : "(streamed), ")
                + faults.size() + " faults, " + metricTotal("injectedTransientFaults")
                + " injected transient failures, startup " + startup.toMillis() + " ms, run " + run.toMillis()
                + " ms" + (liveViolation == null ? "" : ", stopped at the first violation "
                + detectedAfter.toMillis() + " ms after the go") + " (seed " + seed + ")";
    }

    /** Adds this campaign's numbers to {@code o}'s metrics and its faults and unhealthy workers to its evidence. */
    public Observation addTo(Observation o) {
        o.metric("workers", workers.size())
                .metric("historyOps", operations)
                .metric("statusCounts", history.statusCounts())
                .metric("injectedTransientFaults", metricTotal("injectedTransientFaults"))
                .metric("retries", metricTotal("retries"))
                .metric("startupMillis", startup.toMillis())
                .metric(TimeTable.WORKER_START_METRIC, startup.toMillis())
                .metric("runMillis", run.toMillis())
                .metric("seed", seed)
                .evidence("faults", faults.stream().map(FaultEvent::describe).toList())
                .evidence("mergedHistory", mergedHistory.toString());
        if (!allWorkersHealthy()) {
            o.evidence("unhealthyWorkers", unhealthyWorkers());
        }
        if (liveViolation != null) {
            o.metric("detectedAfterMillis", detectedAfter.toMillis())
                    .evidence("liveViolation", liveViolation.describe());
        }
        return o;
    }
}
