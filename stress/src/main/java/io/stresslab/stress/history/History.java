package io.stresslab.stress.history;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A history: every operation, sorted by invocation time. Built in memory with {@link #builder()} (or from a list of
 * {@link Op}s), read from a file with {@link #load} (the public JSON-lines event format, the campaign formats and
 * Jepsen's {@code history.edn}; see {@link HistoryFiles}), or merged from a campaign's worker files with
 * {@link #merge}. File reading and writing live in {@link HistoryFiles}, which alone needs Jackson.
 */
public final class History {
    private static final Comparator<Op> BY_INVOKE = Comparator.comparingLong(Op::invokeNanos)
            .thenComparingInt(Op::worker).thenComparingLong(Op::id);

    private final List<Op> ops;
    private final Map<Op, String> origins;

    public History(List<Op> ops) {
        this(ops, Map.of());
    }

    History(List<Op> ops, Map<Op, String> origins) {
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort(BY_INVOKE);
        this.ops = List.copyOf(sorted);
        this.origins = origins.isEmpty() ? Map.of() : new IdentityHashMap<>(origins);
    }

    /** A builder for an in-memory history, event by event, as the public format has them. */
    public static HistoryBuilder builder() {
        return new HistoryBuilder();
    }

    public List<Op> ops() {
        return ops;
    }

    public int size() {
        return ops.size();
    }

    /** Where {@code op} came from: {@code file:line} of its invocation for a history read from a file. */
    public String origin(Op op) {
        String o = origins.get(op);
        return o != null ? o : "operation " + op.describe();
    }

    /** The operations per key, each list in invocation order, keys sorted. */
    public Map<String, List<Op>> byKey() {
        Map<String, List<Op>> m = new TreeMap<>();
        for (Op op : ops) {
            m.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        return m;
    }

    public List<Op> named(String name) {
        return ops.stream().filter(o -> o.name().equals(name)).toList();
    }

    /** Per worker, the time of its last recorded event: after it, a killed worker did nothing more. */
    public Map<Integer, Long> lastEventNanos() {
        Map<Integer, Long> last = new HashMap<>();
        for (Op op : ops) {
            long t = op.completeNanos() == Op.NEVER ? op.invokeNanos() : op.completeNanos();
            last.merge(op.worker(), t, Math::max);
        }
        return last;
    }

    /** Counts per status, e.g. {@code {OK=812, FAIL=3, INFO=2}}. */
    public Map<Op.Status, Long> statusCounts() {
        Map<Op.Status, Long> m = new LinkedHashMap<>();
        for (Op.Status s : Op.Status.values()) {
            m.put(s, ops.stream().filter(o -> o.status() == s).count());
        }
        return m;
    }

    /**
     * Merges worker event files ({@link HistoryRecorder}'s) into one history. A torn (unparsable) LAST line of a
     * file — a worker killed mid-write — is dropped; a bad line anywhere else is corruption and fails. Invocations
     * with no completion become {@link Op.Status#INFO} with completion time {@link Op#NEVER}.
     */
    public static History merge(List<Path> workerFiles) {
        return HistoryFiles.merge(workerFiles);
    }

    /** Reads a history file in any format {@link HistoryFiles#read} knows. */
    public static History load(Path file) {
        return HistoryFiles.read(file);
    }

    /** Writes this history as JSON lines, one op per line (the campaigns' merged format). */
    public void write(Path file) {
        HistoryFiles.writeOps(this, file);
    }

    /** Reads a history written by {@link #write} (or any other format {@link HistoryFiles#read} knows). */
    public static History read(Path file) {
        return HistoryFiles.read(file);
    }
}
