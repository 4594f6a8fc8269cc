package io.stresslab.stress.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A merged history: every operation of every worker, sorted by invocation time. Built by {@link #merge} from the
 * workers' streamed event files; stored as JSON lines, one {@link Op} per line ({@link #write}, {@link #read}).
 */
public final class History {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<Op> BY_INVOKE = Comparator.comparingLong(Op::invokeNanos)
            .thenComparingInt(Op::worker).thenComparingLong(Op::id);

    private final List<Op> ops;

    public History(List<Op> ops) {
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort(BY_INVOKE);
        this.ops = List.copyOf(sorted);
    }

    public List<Op> ops() {
        return ops;
    }

    public int size() {
        return ops.size();
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
     * Merges worker event files into one history. A torn (unparsable) LAST line of a file — a worker killed mid-write
     * — is dropped; a bad line anywhere else is corruption and fails. Invocations with no completion become
     * {@link Op.Status#INFO} with completion time {@link Op#NEVER}.
     */
    public static History merge(List<Path> workerFiles) {
        List<Op> ops = new ArrayList<>();
        for (Path f : workerFiles) {
            ops.addAll(readEvents(f));
        }
        return new History(ops);
    }

    private static List<Op> readEvents(Path file) {
        Map<Long, HistoryEvent> open = new LinkedHashMap<>();
        List<Op> done = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read history " + file + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            HistoryEvent e;
            try {
                e = JSON.readValue(line, HistoryEvent.class);
            } catch (JsonProcessingException ex) {
                if (i == lines.size() - 1) {
                    break; // torn last line of a killed worker
                }
                throw new IllegalStateException("corrupt line " + (i + 1) + " of " + file + ": "
                        + ex.getOriginalMessage());
            }
            if (HistoryEvent.INVOKE.equals(e.type())) {
                open.put(e.id(), e);
                continue;
            }
            HistoryEvent inv = open.remove(e.id());
            if (inv == null) {
                throw new IllegalStateException("line " + (i + 1) + " of " + file + " completes unknown op #" + e.id());
            }
            Op.Status status = Op.Status.valueOf(e.type().toUpperCase(java.util.Locale.ROOT));
            done.add(new Op(inv.w(), inv.p(), inv.id(), inv.op(), inv.key(), inv.args(), inv.t(), e.t(), status,
                    e.result()));
        }
        for (HistoryEvent inv : open.values()) {
            done.add(new Op(inv.w(), inv.p(), inv.id(), inv.op(), inv.key(), inv.args(), inv.t(), Op.NEVER,
                    Op.Status.INFO, null));
        }
        return done;
    }

    /** Writes this history as JSON lines, one op per line. */
    public void write(Path file) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Op op : ops) {
                w.write(JSON.writeValueAsString(op));
                w.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a history written by {@link #write}. */
    public static History read(Path file) {
        List<Op> ops = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    ops.add(JSON.readValue(line, Op.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read history " + file + ": " + e.getMessage(), e);
        }
        return new History(ops);
    }
}
