package io.stresslab.stress.campaign;

import java.time.Duration;
import java.util.Map;

/**
 * How one worker JVM ended. {@code stderrTail} holds its last lines of standard error (its one-line failure reason).
 *
 * @param ran from the go to its exit
 */
public record WorkerOutcome(int worker, Status status, int exitCode, Duration ran, String stderrTail,
                            Map<String, Object> metrics) {

    public enum Status {
        /** Exited 0. */
        OK,
        /** Killed on purpose by a kill -9 fault: expected. */
        KILLED_BY_FAULT,
        /** Exited non-zero on its own. */
        FAILED,
        /** Still running at the deadline: thread-dumped (into its .out file) and killed. */
        TIMED_OUT,
        /** Never joined the start barrier. */
        NO_START,
        /** Stopped (kill -9) by the coordinator because the live judge saw a violation: the run ended early. */
        STOPPED_AT_VIOLATION
    }

    /** Whether the worker ended as the campaign intended (done, killed by a fault, or stopped at a violation). */
    public boolean healthy() {
        return status == Status.OK || status == Status.KILLED_BY_FAULT || status == Status.STOPPED_AT_VIOLATION;
    }

    /** One line, e.g. {@code worker 2 FAILED (exit 1) after 812 ms: worker 2 failed: ...}. */
    public String describe() {
        String head = "worker " + worker + " " + status + " (exit " + exitCode + ") after " + ran.toMillis() + " ms";
        return stderrTail.isBlank() || healthy() ? head : head + ": " + stderrTail;
    }
}
