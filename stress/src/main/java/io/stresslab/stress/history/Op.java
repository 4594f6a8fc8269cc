package io.stresslab.stress.history;

import java.util.List;
import java.util.Objects;

/**
 * One operation of a merged history: its invocation and its completion. Times are {@link HistoryClock} nanos, comparable
 * across the worker JVMs of one machine. {@code status} says what the caller learned:
 * <ul>
 *   <li>{@link Status#OK}: it took effect, and {@code result} is what it returned;</li>
 *   <li>{@link Status#FAIL}: it definitely did NOT take effect (e.g. the transaction was rolled back);</li>
 *   <li>{@link Status#INFO}: unknown — it may take effect at any time after its invocation, or never (connection lost
 *       mid-commit, worker killed). Its {@code result} is unknown ({@code null}); {@code completeNanos} is when the
 *       caller gave up, or {@link #NEVER} when no completion was recorded.</li>
 * </ul>
 * {@code (worker, id)} identifies an operation across the whole campaign.
 */
public record Op(int worker, int thread, long id, String name, String key, List<String> args, long invokeNanos,
                 long completeNanos, Status status, String result) {

    /** Completion time of an operation that never completed. */
    public static final long NEVER = Long.MAX_VALUE;

    public enum Status { OK, FAIL, INFO }

    public Op {
        Objects.requireNonNull(name, "op name");
        Objects.requireNonNull(key, "op key");
        Objects.requireNonNull(status, "op status");
        args = args == null ? List.of() : List.copyOf(args);
        if (status == Status.INFO) {
            result = null;
        }
    }

    /** The i-th argument; fails with one line if the op has fewer. */
    public String arg(int i) {
        if (i >= args.size()) {
            throw new IllegalArgumentException("op " + this.describe() + " has no argument #" + i);
        }
        return args.get(i);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** Compact form for explanations: {@code w2/t1#17 cas(k3, 4, 5) -> true}. */
    public String describe() {
        String outcome = switch (status) {
            case OK -> " -> " + result;
            case FAIL -> " -> fail" + (result == null ? "" : " (" + result + ")");
            case INFO -> " -> ?";
        };
        String argText = args.isEmpty() ? "" : ", " + String.join(", ", args);
        return "w" + worker + "/t" + thread + "#" + id + " " + name + "(" + key + argText + ")" + outcome;
    }

    @Override
    public String toString() {
        return describe();
    }
}
