package io.stresslab.stress.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One operation of a history: its invocation and its completion. Times are nanoseconds on one clock (for campaign
 * histories the machine-wide {@link HistoryClock}); only their order matters. {@code status} says what the caller
 * learned:
 * <ul>
 *   <li>{@link Status#OK}: it took effect, and {@code output} is what it returned;</li>
 *   <li>{@link Status#FAIL}: it definitely did NOT take effect (e.g. the transaction was rolled back);</li>
 *   <li>{@link Status#INFO}: unknown — it may take effect at any time after its invocation, or never (connection lost
 *       mid-commit, worker killed). Its {@code output} is {@link Value#UNKNOWN}; {@code completeNanos} is when the
 *       caller gave up, or {@link #NEVER} when no completion was recorded.</li>
 * </ul>
 * {@code input} is the operation's typed argument (a write's value, a cas's {@code [expected new]}, {@link Value#NIL}
 * for none). {@link #args()}, {@link #arg(int)} and {@link #result()} give the same values as text (the view the
 * campaign scenarios use). {@code (worker, id)} identifies an operation across a campaign; {@code worker} is the
 * process of the public history format.
 */
public record Op(int worker, int thread, long id, String name, String key, Value input, long invokeNanos,
                 long completeNanos, Status status, Value output) {

    /** Completion time of an operation that never completed. */
    public static final long NEVER = Long.MAX_VALUE;

    public enum Status { OK, FAIL, INFO }

    public Op {
        Objects.requireNonNull(name, "op name");
        Objects.requireNonNull(key, "op key");
        Objects.requireNonNull(status, "op status");
        input = input == null ? Value.NIL : input;
        output = status == Status.INFO ? Value.UNKNOWN : output == null ? Value.NIL : output;
    }

    /** An operation with text arguments and a text result (null: none), as the campaign recorders write them. */
    public Op(int worker, int thread, long id, String name, String key, List<String> args, long invokeNanos,
              long completeNanos, Status status, String result) {
        this(worker, thread, id, name, key, textInput(args), invokeNanos, completeNanos, status, Value.of(result));
    }

    private static Value textInput(List<String> args) {
        if (args == null || args.isEmpty()) {
            return Value.NIL;
        }
        if (args.size() == 1) {
            return Value.of(args.get(0));
        }
        List<Value> items = new ArrayList<>(args.size());
        args.forEach(a -> items.add(Value.of(a)));
        return Value.tuple(items);
    }

    /** The arguments as text: a tuple input's elements, a scalar input alone, none for nil. */
    public List<String> args() {
        if (input instanceof Value.Tuple t) {
            return t.items().stream().map(v -> v.text() == null ? "nil" : v.text()).toList();
        }
        return input.isNil() ? List.of() : List.of(input.text());
    }

    /** The i-th argument as text; fails with one line if the op has fewer. */
    public String arg(int i) {
        List<String> a = args();
        if (i >= a.size()) {
            throw new IllegalArgumentException("op " + this.describe() + " has no argument #" + i);
        }
        return a.get(i);
    }

    /** The i-th argument typed: a tuple input's element i, or (i = 0) a scalar input itself. */
    public Value argValue(int i) {
        if (input instanceof Value.Tuple t) {
            return t.item(i);
        }
        if (i == 0 && !input.isNil()) {
            return input;
        }
        throw new IllegalArgumentException("op " + this.describe() + " has no argument #" + i);
    }

    /** The output as text; null when it is nil or unknown. */
    public String result() {
        return output.text();
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** Compact form for explanations: {@code w2/t1#17 cas(k3, 4, 5) -> true}. */
    public String describe() {
        String outcome = switch (status) {
            case OK -> output.isUnknown() ? " -> ok" : " -> " + output.show();
            case FAIL -> " -> fail" + (output.isNil() ? "" : " (" + output.show() + ")");
            case INFO -> " -> ?";
        };
        String argText = input.isNil() ? "" : input instanceof Value.Tuple t
                ? String.join(", ", t.items().stream().map(Value::show).toList()) : input.show();
        String inside = key.isEmpty() ? argText : argText.isEmpty() ? key : key + ", " + argText;
        return "w" + worker + "/t" + thread + "#" + id + " " + name + "(" + inside + ")" + outcome;
    }

    @Override
    public String toString() {
        return describe();
    }
}
