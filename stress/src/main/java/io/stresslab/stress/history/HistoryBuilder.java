package io.stresslab.stress.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an in-memory {@link History} event by event, as the public format has them: each process invokes one
 * operation at a time and completes it ({@code ok}, {@code fail} or {@code info}) before invoking the next. Times
 * are optional: without one, an event gets the next tick of a logical clock (the order of the calls is the real-time
 * order). An invocation never completed becomes {@code info}. Needs no JSON library.
 *
 * <pre>{@code
 * History h = History.builder()
 *     .invoke(0, "write", "x", Value.of(1)).invoke(1, "read", "x", Value.NIL)
 *     .ok(0, Value.NIL).ok(1, Value.of(1))
 *     .build();
 * }</pre>
 */
public final class HistoryBuilder {
    private record Pending(String f, String key, Value value, long time, String where) {
    }

    private final Map<Integer, Pending> open = new HashMap<>();
    private final List<Op> ops = new ArrayList<>();
    private final Map<Op, String> origins = new IdentityHashMap<>();
    private long clock;
    private long ids;
    private String where;

    HistoryBuilder() {
    }

    /** Names the place of the next event (e.g. {@code file:12}) for errors and explanations. */
    public HistoryBuilder at(String place) {
        this.where = place;
        return this;
    }

    public HistoryBuilder invoke(int process, String f, String key, Value value) {
        return invoke(process, f, key, value, ++clock);
    }

    /** Process {@code process} invokes {@code f} on {@code key} with input {@code value} at {@code time}. */
    public HistoryBuilder invoke(int process, String f, String key, Value value, long time) {
        String place = place("invoke");
        if (f == null || f.isBlank()) {
            throw new HistoryFormatException(place, "an invocation needs an operation name (f)");
        }
        if (key == null) {
            throw new HistoryFormatException(place, "an invocation needs a key");
        }
        Pending before = open.get(process);
        if (before != null) {
            throw new HistoryFormatException(place, "process " + process + " invokes " + f + " while its " + before.f
                    + " (" + before.where + ") has not completed");
        }
        clock = Math.max(clock, time);
        // operation names are few: one shared instance each (cheap to switch on, little memory)
        open.put(process, new Pending(f.intern(), key, value == null ? Value.NIL : value, time, place));
        where = null;
        return this;
    }

    public HistoryBuilder ok(int process, Value output) {
        return complete(process, Op.Status.OK, output, ++clock);
    }

    public HistoryBuilder ok(int process, Value output, long time) {
        return complete(process, Op.Status.OK, output, time);
    }

    /** It certainly had no effect. */
    public HistoryBuilder fail(int process) {
        return complete(process, Op.Status.FAIL, Value.NIL, ++clock);
    }

    public HistoryBuilder fail(int process, long time) {
        return complete(process, Op.Status.FAIL, Value.NIL, time);
    }

    /** Its outcome is unknown: it may have taken effect at any time after its invocation, or never. */
    public HistoryBuilder info(int process) {
        return complete(process, Op.Status.INFO, Value.UNKNOWN, ++clock);
    }

    public HistoryBuilder info(int process, long time) {
        return complete(process, Op.Status.INFO, Value.UNKNOWN, time);
    }

    /** Completes process {@code process}'s pending operation. */
    public HistoryBuilder complete(int process, Op.Status status, Value output, long time) {
        return complete(process, status, output, time, null, null);
    }

    /**
     * As {@link #complete(int, Op.Status, Value, long)}; a non-null {@code f}/{@code key} must match the invocation.
     */
    HistoryBuilder complete(int process, Op.Status status, Value output, long time, String f, String key) {
        String place = place(status.name().toLowerCase(java.util.Locale.ROOT));
        Pending p = open.remove(process);
        if (p == null) {
            throw new HistoryFormatException(place, "process " + process + " completes an operation it never invoked");
        }
        if (f != null && !f.equals(p.f) || key != null && !key.equals(p.key)) {
            throw new HistoryFormatException(place, "completes " + (f == null ? p.f : f) + " on key '"
                    + (key == null ? p.key : key) + "' but process " + process + " invoked " + p.f + " on key '"
                    + p.key + "' (" + p.where + ")");
        }
        if (time < p.time) {
            throw new HistoryFormatException(place, "completes at " + time + ", before its invocation at " + p.time);
        }
        clock = Math.max(clock, time);
        // an info op may take effect at any time after its call: its return is at +infinity
        Op op = new Op(process, 0, ++ids, p.f, p.key, p.value, p.time, status == Op.Status.INFO ? Op.NEVER : time,
                status, output);
        ops.add(op);
        origins.put(op, p.where);
        where = null;
        return this;
    }

    /** The history; invocations never completed become {@code info}. */
    public History build() {
        List<Map.Entry<Integer, Pending>> left = new ArrayList<>(open.entrySet());
        left.sort(Map.Entry.comparingByKey());
        for (Map.Entry<Integer, Pending> e : left) {
            Pending p = e.getValue();
            Op op = new Op(e.getKey(), 0, ++ids, p.f, p.key, p.value, p.time, Op.NEVER, Op.Status.INFO, Value.UNKNOWN);
            ops.add(op);
            origins.put(op, p.where);
        }
        open.clear();
        return new History(ops, origins);
    }

    private String place(String what) {
        return where != null ? where : "event " + (clock + 1) + " (" + what + ")";
    }
}
