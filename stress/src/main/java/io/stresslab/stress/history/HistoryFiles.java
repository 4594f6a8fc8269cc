package io.stresslab.stress.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes history files (the only part of the history package that needs Jackson). {@link #read} takes
 * every format, told apart by the first event:
 * <ul>
 *   <li><b>the public event format</b> (docs/checker.md): JSON lines, one event per line,
 *       {@code {"process":0,"type":"invoke","f":"write","key":"x","value":3,"time":120}} — {@code type} is
 *       {@code invoke}, {@code ok}, {@code fail} or {@code info}; an invocation's {@code value} is the operation's
 *       input, a completion's is its output; {@code key} (default {@code ""}) and {@code time} (default: the line's
 *       position) are optional; a process completes each invocation before its next;</li>
 *   <li>a campaign's merged {@code history.jsonl} (one operation per line, {@link #writeOps});</li>
 *   <li>a campaign worker's event file ({@link HistoryRecorder}: {@code {"type":"invoke","t":..,"w":..,"id":..}});</li>
 *   <li>Jepsen's {@code history.edn} ({@link EdnHistory}), by its {@code .edn} extension.</li>
 * </ul>
 * Any malformed line is a {@link HistoryFormatException} naming the file and line.
 */
public final class HistoryFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.fasterxml.jackson.databind.ObjectReader TREE = JSON.readerFor(JsonNode.class);

    private HistoryFiles() {
    }

    /** Reads {@code file} in whichever format it is in; an unreadable or malformed file throws one line. */
    public static History read(Path file) {
        return read(file, false);
    }

    /**
     * As {@link #read(Path)}; {@code independent}: a Jepsen file's values are {@code [key value]} tuples
     * (jepsen.independent), split into key and value.
     */
    public static History read(Path file, boolean independent) {
        if (file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".edn")) {
            return EdnHistory.read(file, independent);
        }
        String head = firstLine(file);
        if (head == null) {
            return new History(List.of());
        }
        if (head.startsWith("{:") || head.startsWith("[{:") || head.startsWith("({:")) {
            return EdnHistory.read(file, independent);
        }
        if (head.startsWith("{\"process\"") || head.contains("\"process\":") || head.contains("\"process\" :")) {
            return readEvents(file);
        }
        List<String> lines = lines(file);
        int first = 0;
        while (lines.get(first).isBlank()) {
            first++;
        }
        JsonNode node = parse(file, first, head);
        if (node.has("invokeNanos")) {
            return readOps(file, lines);
        }
        if (node.has("w") && node.has("id")) {
            return readWorkerEvents(List.of(file), false);
        }
        return readEvents(file);
    }

    /** The first non-blank line, trimmed; null for an empty file. */
    private static String firstLine(Path file) {
        try (java.io.BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                if (!l.isBlank()) {
                    return l.trim();
                }
            }
            return null;
        } catch (NoSuchFileException e) {
            throw new HistoryFormatException(file.toString(), "no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new HistoryFormatException(file.toString(), "not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read history " + file + ": " + e.getMessage(), e);
        }
    }

    /** Merges campaign worker files (see {@link History#merge}). */
    public static History merge(List<Path> workerFiles) {
        return readWorkerEvents(workerFiles, true);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new HistoryFormatException(file.toString(), "no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new HistoryFormatException(file.toString(), "not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read history " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path file, int index, String line) {
        try {
            JsonNode n = TREE.readTree(line);
            if (n == null || !n.isObject()) {
                throw new HistoryFormatException(file + ":" + (index + 1), "not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new HistoryFormatException(file + ":" + (index + 1), "not JSON: " + e.getOriginalMessage());
        }
    }

    // ---- the public event format ----

    /** The public format: one parser over the whole file (events are root-level objects, one per line). */
    private static History readEvents(Path file) {
        HistoryBuilder b = History.builder();
        Boolean timed = null;
        String prefix = file + ":";
        int lastLine = 0;
        int line = 0;
        boolean inEvent = false;
        try (JsonParser p = JSON.getFactory().createParser(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                line = p.currentTokenLocation().getLineNr();
                String at = prefix + line;
                if (t != JsonToken.START_OBJECT) {
                    throw new HistoryFormatException(at, "not a JSON object");
                }
                if (line == lastLine) {
                    throw new HistoryFormatException(at, "more than one event on the line");
                }
                inEvent = true;
                Event e = event(p, at);
                inEvent = false;
                lastLine = p.currentLocation().getLineNr();
                if (e.process == null) {
                    throw new HistoryFormatException(at, "needs an integer \"process\"");
                }
                if (e.type == null) {
                    throw new HistoryFormatException(at, "needs a \"type\": invoke, ok, fail or info");
                }
                if (timed == null) {
                    timed = e.time != null;
                } else if (timed != (e.time != null)) {
                    throw new HistoryFormatException(at, timed ? "has no \"time\" while earlier events have one"
                            : "has a \"time\" while earlier events have none");
                }
                long time = e.time != null ? e.time : line;
                b.at(at);
                int proc = e.process;
                switch (e.type) {
                    case "invoke" -> {
                        if (e.f == null) {
                            throw new HistoryFormatException(at, "an invocation needs \"f\" (the operation)");
                        }
                        b.invoke(proc, e.f, e.key == null ? "" : e.key, e.value == null ? Value.NIL : e.value, time);
                    }
                    case "ok" -> b.complete(proc, Op.Status.OK, e.value == null ? Value.UNKNOWN : e.value, time, e.f,
                            e.key);
                    case "fail" -> b.complete(proc, Op.Status.FAIL, e.value == null ? Value.NIL : e.value, time, e.f,
                            e.key);
                    case "info" -> b.complete(proc, Op.Status.INFO, Value.UNKNOWN, time, e.f, e.key);
                    default -> throw new HistoryFormatException(at, "unknown type '" + e.type
                            + "' (expected invoke, ok, fail or info)");
                }
            }
        } catch (JsonProcessingException ex) {
            // an event that does not parse is named by the line it starts on (an unclosed brace runs on)
            int at = inEvent || ex.getLocation() == null ? line : ex.getLocation().getLineNr();
            throw new HistoryFormatException(prefix + at, "not JSON: " + ex.getOriginalMessage());
        } catch (java.nio.charset.MalformedInputException ex) {
            throw new HistoryFormatException(file.toString(), "not UTF-8 text");
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read history " + file + ": " + ex.getMessage(), ex);
        }
        return b.build();
    }

    /** One event of the public format. */
    private static final class Event {
        Integer process;
        String type;
        String f;
        String key;
        Value value;
        Long time;
    }

    /** Reads the object the parser is at (its START_OBJECT) up to its END_OBJECT. */
    private static Event event(JsonParser p, String at) throws IOException {
        Event e = new Event();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "process" -> {
                    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                        throw new HistoryFormatException(at, "needs an integer \"process\"");
                    }
                    e.process = p.getIntValue();
                }
                case "type" -> e.type = string(p, t, "type", at);
                case "f" -> e.f = string(p, t, "f", at);
                case "key" -> {
                    if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
                        e.key = p.getText();
                    } else if (t != JsonToken.VALUE_NULL) {
                        throw new HistoryFormatException(at, "\"key\" must be a string or an integer, got "
                                + describe(p, t));
                    }
                }
                case "value" -> e.value = value(p, t, at);
                case "time" -> {
                    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            || p.getLongValue() < 0) {
                        throw new HistoryFormatException(at, "\"time\" must be a non-negative integer, got "
                                + describe(p, t));
                    }
                    e.time = p.getLongValue();
                }
                default -> p.skipChildren();
            }
        }
        return e;
    }

    private static String string(JsonParser p, JsonToken t, String field, String at) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new HistoryFormatException(at, "\"" + field + "\" must be a string, got " + describe(p, t));
        }
        return p.getText();
    }

    private static String describe(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.START_OBJECT ? "an object" : t == JsonToken.START_ARRAY ? "an array" : p.getText();
    }

    /** A JSON value read from the parser (at its current token) as a {@link Value}. */
    private static Value value(JsonParser p, JsonToken t, String at) throws IOException {
        switch (t) {
            case VALUE_NULL:
                return Value.NIL;
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new HistoryFormatException(at, "integer out of range: " + p.getText());
                }
                return Value.of(p.getLongValue());
            case VALUE_STRING:
                return Value.of(p.getText());
            case VALUE_TRUE:
                return Value.of(true);
            case VALUE_FALSE:
                return Value.of(false);
            case START_ARRAY: {
                List<Value> items = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    items.add(value(p, e, at));
                }
                return Value.tuple(items);
            }
            default:
                throw new HistoryFormatException(at, "unsupported value " + describe(p, t)
                        + " (use null, an integer, a string, a boolean or an array of them)");
        }
    }

    /**
     * Writes {@code history} in the public event format: an invoke line and a completion line per operation. Each
     * worker thread becomes a process; where one thread's operations overlap (ops built by hand, or after an
     * INFO op, which never returns) the later ones go to a fresh process, so every process stays sequential.
     */
    public static void writeEvents(History history, Path file) {
        record Line(long time, int order, ObjectNode json) {
        }
        List<Line> lines = new ArrayList<>();
        int order = 0;
        Map<Long, Integer> laneProcess = new java.util.HashMap<>();
        Map<Integer, Long> processFree = new java.util.HashMap<>();
        for (Op op : history.ops()) {
            long lane = ((long) op.worker() << 32) | (op.thread() & 0xffffffffL);
            Integer p = laneProcess.get(lane);
            if (p == null || processFree.get(p) >= op.invokeNanos()) {
                p = processFree.size();
                laneProcess.put(lane, p);
            }
            processFree.put(p, op.completeNanos());
            ObjectNode inv = event(p, "invoke", op, op.input(), op.invokeNanos());
            lines.add(new Line(op.invokeNanos(), order++, inv));
            if (op.completeNanos() != Op.NEVER) {
                Value out = op.status() == Op.Status.OK ? op.output() : Value.NIL;
                lines.add(new Line(op.completeNanos(), order++, event(p, op.status().name().toLowerCase(Locale.ROOT),
                        op, out, op.completeNanos())));
            }
        }
        lines.sort(java.util.Comparator.comparingLong(Line::time).thenComparingInt(Line::order));
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Line l : lines) {
                w.write(JSON.writeValueAsString(l.json()));
                w.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode event(int process, String type, Op op, Value value, long time) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("process", process);
        n.put("type", type);
        n.put("f", op.name());
        n.put("key", op.key());
        if (!value.isUnknown()) {
            n.set("value", json(value));
        }
        n.put("time", time);
        return n;
    }

    static JsonNode json(Value v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v instanceof Value.Int i) {
            return f.numberNode(i.value());
        }
        if (v instanceof Value.Str s) {
            return f.textNode(s.value());
        }
        if (v instanceof Value.Bool b) {
            return f.booleanNode(b.value());
        }
        if (v instanceof Value.Tuple t) {
            ArrayNode a = f.arrayNode();
            t.items().forEach(e -> a.add(json(e)));
            return a;
        }
        return f.nullNode();
    }

    // ---- the campaign formats ----

    /** Writes one operation per line (the campaigns' merged {@code history.jsonl}). */
    public static void writeOps(History history, Path file) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Op op : history.ops()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("worker", op.worker());
                m.put("thread", op.thread());
                m.put("id", op.id());
                m.put("name", op.name());
                m.put("key", op.key());
                m.put("args", op.args());
                m.put("invokeNanos", op.invokeNanos());
                m.put("completeNanos", op.completeNanos());
                m.put("status", op.status().name());
                m.put("result", op.result());
                w.write(JSON.writeValueAsString(m));
                w.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file + ": " + e.getMessage(), e);
        }
    }

    private static History readOps(Path file, List<String> lines) {
        List<Op> ops = new ArrayList<>();
        Map<Op, String> origins = new IdentityHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String at = file + ":" + (i + 1);
            JsonNode n = parse(file, i, lines.get(i).trim());
            try {
                List<String> args = new ArrayList<>();
                JsonNode a = n.get("args");
                if (a != null && a.isArray()) {
                    a.forEach(e -> args.add(e.isNull() ? null : e.asText()));
                }
                String status = need(n, "status", at).asText();
                JsonNode result = n.get("result");
                Op op = new Op(need(n, "worker", at).asInt(), n.path("thread").asInt(), need(n, "id", at).asLong(),
                        need(n, "name", at).asText(), need(n, "key", at).asText(), args,
                        need(n, "invokeNanos", at).asLong(), need(n, "completeNanos", at).asLong(),
                        Op.Status.valueOf(status.toUpperCase(Locale.ROOT)),
                        result == null || result.isNull() ? null : result.asText());
                ops.add(op);
                origins.put(op, at);
            } catch (IllegalArgumentException e) {
                throw e instanceof HistoryFormatException h ? h : new HistoryFormatException(at, e.getMessage());
            }
        }
        return new History(ops, origins);
    }

    private static JsonNode need(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new HistoryFormatException(at, "needs \"" + field + "\"");
        }
        return v;
    }

    /** The recorders' per-worker event files; {@code tolerateTornLast}: a killed worker's torn last line is dropped. */
    private static History readWorkerEvents(List<Path> files, boolean tolerateTornLast) {
        List<Op> ops = new ArrayList<>();
        Map<Op, String> origins = new IdentityHashMap<>();
        for (Path file : files) {
            Map<Long, HistoryEvent> open = new LinkedHashMap<>();
            Map<Long, String> openAt = new LinkedHashMap<>();
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                String at = file + ":" + (i + 1);
                HistoryEvent e;
                try {
                    e = JSON.readValue(line, HistoryEvent.class);
                } catch (JsonProcessingException ex) {
                    if (tolerateTornLast && i == lines.size() - 1) {
                        break; // torn last line of a killed worker
                    }
                    throw new HistoryFormatException(at, "corrupt line " + (i + 1) + " of " + file + ": "
                            + ex.getOriginalMessage());
                }
                if (e.type() == null) {
                    throw new HistoryFormatException(at, "needs a \"type\"");
                }
                if (HistoryEvent.INVOKE.equals(e.type())) {
                    if (e.op() == null || e.key() == null) {
                        throw new HistoryFormatException(at, "an invocation needs \"op\" and \"key\"");
                    }
                    open.put(e.id(), e);
                    openAt.put(e.id(), at);
                    continue;
                }
                HistoryEvent inv = open.remove(e.id());
                if (inv == null) {
                    throw new HistoryFormatException(at, "line " + (i + 1) + " of " + file
                            + " completes unknown op #" + e.id());
                }
                Op.Status status;
                try {
                    status = Op.Status.valueOf(e.type().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException ex) {
                    throw new HistoryFormatException(at, "unknown type '" + e.type() + "'");
                }
                Op op = new Op(inv.w(), inv.p(), inv.id(), inv.op(), inv.key(), inv.args(), inv.t(), e.t(), status,
                        e.result());
                ops.add(op);
                origins.put(op, openAt.remove(e.id()));
            }
            for (HistoryEvent inv : open.values()) {
                Op op = new Op(inv.w(), inv.p(), inv.id(), inv.op(), inv.key(), inv.args(), inv.t(), Op.NEVER,
                        Op.Status.INFO, null);
                ops.add(op);
                origins.put(op, openAt.get(inv.id()));
            }
        }
        return new History(ops, origins);
    }
}
