package io.stresslab.stress.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stresslab.stress.history.History;
import io.stresslab.stress.history.HistoryFiles;
import io.stresslab.stress.history.HistoryFormatException;
import io.stresslab.stress.history.LinearizabilityChecker;
import io.stresslab.stress.history.LinearizabilityChecker.KeyResult;
import io.stresslab.stress.history.LinearizabilityChecker.Verdict;
import io.stresslab.stress.history.Model;
import io.stresslab.stress.history.Models;
import io.stresslab.stress.history.Op;
import io.stresslab.stress.history.Timeline;
import io.stresslab.stress.history.Value;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stresslab check FILE…}: checks recorded histories for linearizability against a model. Exit codes: 0 every
 * file linearizable; 1 some file not (with the minimal explanation); 3 some file undecided within the limits (which
 * keys, how far); 2 bad input — a malformed file (one line naming file and line) or a bad option.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Checks recorded histories for linearizability against a model.",
                "Files: JSON lines in the public event format (docs/checker.md), a campaign's history.jsonl or worker "
                        + "files, or Jepsen's history.edn.",
                "Exit: 0 linearizable, 1 not linearizable, 3 unknown (limits reached), 2 bad input."},
        sortOptions = false)
final class CheckCommand implements Callable<Integer> {
    static final int EXIT_UNKNOWN = 3;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "History files; each is checked on its own.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "register, cas-register, kv, set, queue, counter, lease or execute-once.")
    String model;

    @Option(names = "--budget", defaultValue = "30s", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Time for a whole file (default: ${DEFAULT-VALUE}); undecided keys are then UNKNOWN.")
    Duration budget;

    @Option(names = "--key-budget", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Time for any one key (default: the whole budget).")
    Duration keyBudget;

    @Option(names = "--threads", paramLabel = "N",
            description = "Keys checked in parallel (default: the number of processors). The verdict does not "
                    + "depend on it.")
    Integer threads;

    @Option(names = "--max-memory", paramLabel = "MB",
            description = "Bound on the search memory over all keys, in MB (default: half the heap).")
    Long maxMemoryMb;

    @Option(names = "--initial", paramLabel = "JSON",
            description = "Initial value of a register or kv key, as JSON: 0, \"text\", null (default: null).")
    String initial;

    @Option(names = "--independent",
            description = "Jepsen files: every :value is a [key value] tuple (jepsen.independent); implied by "
                    + "--model kv.")
    boolean independent;

    @Option(names = "--json", description = "Print the verdicts as one JSON document (for CI).")
    boolean json;

    @Option(names = "--timeline", paramLabel = "DIR",
            description = "Write an HTML timeline of the failing key of each non-linearizable file into DIR (one "
                    + "subfolder per file when there are several).")
    Path timelineDir;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Model<?> m;
        try {
            m = Models.byName(model, initialValue());
        } catch (IllegalArgumentException e) {
            err.println("stresslab: " + e.getMessage());
            return StresslabCli.EXIT_BAD_INPUT;
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || n > 1024) {
            err.println("stresslab: --threads must be between 1 and 1024, was " + n);
            return StresslabCli.EXIT_BAD_INPUT;
        }
        if (maxMemoryMb != null && maxMemoryMb < 1) {
            err.println("stresslab: --max-memory must be a positive number of MB, was " + maxMemoryMb);
            return StresslabCli.EXIT_BAD_INPUT;
        }
        if (timelineDir != null) {
            try {
                Files.createDirectories(timelineDir);
                if (!Files.isWritable(timelineDir)) {
                    throw new java.io.IOException("not writable");
                }
            } catch (java.io.IOException | UncheckedIOException e) {
                err.println("stresslab: --timeline " + timelineDir + ": cannot write there (" + e.getMessage() + ")");
                return StresslabCli.EXIT_BAD_INPUT;
            }
        }
        LinearizabilityChecker<?> checker = new LinearizabilityChecker<>(m, n, budget)
                .withKeyBudget(keyBudget == null ? budget : keyBudget);
        if (maxMemoryMb != null) {
            checker = checker.withMemoryLimit(maxMemoryMb << 20);
        }
        // read every file first: a malformed one is bad input, before any verdict is printed
        List<History> histories = new ArrayList<>();
        for (Path f : files) {
            try {
                History h = HistoryFiles.read(f, independent || model.equals("kv"));
                for (Op op : h.ops()) {
                    try {
                        m.validate(op);
                    } catch (IllegalArgumentException e) {
                        throw new HistoryFormatException(h.origin(op), e.getMessage());
                    }
                }
                histories.add(h);
            } catch (HistoryFormatException e) {
                err.println("stresslab: " + StresslabCli.oneLine(e));
                return StresslabCli.EXIT_BAD_INPUT;
            } catch (UncheckedIOException e) {
                err.println("stresslab: " + StresslabCli.oneLine(e));
                return StresslabCli.EXIT_BAD_INPUT;
            }
        }
        List<Map<String, Object>> reports = new ArrayList<>();
        boolean anyNot = false;
        boolean anyUnknown = false;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            History h = histories.get(i);
            LinearizabilityChecker.Result r = checker.check(h);
            anyNot |= r.verdict() == Verdict.NOT_LINEARIZABLE;
            anyUnknown |= r.verdict() == Verdict.UNKNOWN;
            Path timeline = null;
            if (timelineDir != null && r.verdict() == Verdict.NOT_LINEARIZABLE) {
                KeyResult bad = r.notLinearizable().get(0);
                // several files: one subfolder each, so equal keys do not overwrite each other's page
                String stem = f.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
                Path into = files.size() == 1 ? timelineDir : timelineDir.resolve(i + 1 + "-" + stem);
                timeline = Timeline.write(into, f.getFileName().toString(), bad, h.byKey().get(bad.key()), h::origin);
            }
            if (json) {
                reports.add(jsonReport(f, h, r, timeline));
            } else {
                print(out, f, h, r, timeline);
            }
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("verdict", (anyNot ? Verdict.NOT_LINEARIZABLE : anyUnknown ? Verdict.UNKNOWN
                    : Verdict.LINEARIZABLE).name());
            doc.put("model", model);
            doc.put("files", reports);
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return anyNot ? StresslabCli.EXIT_FAILED_CHECKS : anyUnknown ? EXIT_UNKNOWN : StresslabCli.EXIT_OK;
    }

    private Value initialValue() {
        if (initial == null) {
            return Value.NIL;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = new ObjectMapper().readTree(initial);
            return Value.ofObject(new ObjectMapper().convertValue(n, Object.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--initial must be a JSON value such as 0, \"text\" or null, was "
                    + initial);
        }
    }

    private static String op(History h, Op op) {
        String in = op.input().isNil() ? "" : op.input() instanceof Value.Tuple t
                ? String.join(", ", t.items().stream().map(Value::show).toList()) : op.input().show();
        String inside = op.key().isEmpty() ? in : in.isEmpty() ? op.key() : op.key() + ", " + in;
        String outcome = switch (op.status()) {
            case OK -> op.output().isUnknown() ? " -> ok" : " -> " + op.output().show();
            case FAIL -> " -> fail";
            case INFO -> " -> ? (outcome unknown)";
        };
        String who = op.thread() == 0 ? "process " + op.worker() : "worker " + op.worker() + " thread " + op.thread();
        return who + ": " + op.name() + "(" + inside + ")" + outcome + "   [" + h.origin(op) + "]";
    }

    private static void print(PrintStream out, Path f, History h, LinearizabilityChecker.Result r, Path timeline) {
        String head = String.format("%s: %%s — %,d ops over %,d keys in %,d ms", f, r.ops(), r.keys(),
                r.elapsed().toMillis());
        switch (r.verdict()) {
            case LINEARIZABLE -> out.println(String.format(head, "LINEARIZABLE"));
            case NOT_LINEARIZABLE -> {
                KeyResult k = r.notLinearizable().get(0);
                out.println(String.format(head, "NOT LINEARIZABLE") + (k.key().isEmpty() ? "; " : "; key '"
                        + k.key() + "' (") + k.ops() + " ops" + (k.key().isEmpty() ? "" : ")")
                        + " cannot be linearized");
                List<Op> prefix = k.longestPrefix();
                out.println("  longest linearizable prefix: " + prefix.size() + " ops, leaving the state "
                        + k.stateAfterPrefix());
                int from = Math.max(0, prefix.size() - 10);
                if (from > 0) {
                    out.println("    … " + from + " earlier ops");
                }
                for (int i = from; i < prefix.size(); i++) {
                    out.println(String.format("    %d. %s", i + 1, op(h, prefix.get(i))));
                }
                out.println("  none of these can take effect next:");
                k.notLinearizable().forEach(o -> out.println("    " + op(h, o)));
                if (timeline != null) {
                    out.println("  timeline: " + timeline);
                }
            }
            case UNKNOWN -> {
                out.println(String.format(head, "UNKNOWN") + "; " + r.undecided().size() + " key(s) undecided:");
                r.undecided().stream().limit(20).forEach(k -> out.println(String.format(
                        "  key '%s': %s; linearized prefix %d of %d ops after %,d steps, %,d states", k.key(),
                        k.reason(), k.deepest(), k.ops(), k.steps(), k.states())));
                if (r.undecided().size() > 20) {
                    out.println("  … " + (r.undecided().size() - 20) + " more keys");
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private static Map<String, Object> jsonReport(Path f, History h, LinearizabilityChecker.Result r, Path timeline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", f.toString());
        m.put("verdict", r.verdict().name());
        m.put("ops", r.ops());
        m.put("keys", r.keys());
        m.put("elapsedMillis", r.elapsed().toMillis());
        if (r.verdict() == Verdict.NOT_LINEARIZABLE) {
            KeyResult k = r.notLinearizable().get(0);
            Map<String, Object> bad = new LinkedHashMap<>();
            bad.put("key", k.key());
            bad.put("ops", k.ops());
            bad.put("longestPrefix", k.longestPrefix().stream().map(o -> op(h, o)).toList());
            bad.put("stateAfterPrefix", k.stateAfterPrefix());
            bad.put("cannotGoNext", k.notLinearizable().stream().map(o -> op(h, o)).toList());
            m.put("notLinearizable", bad);
            if (timeline != null) {
                m.put("timeline", timeline.toString());
            }
        }
        List<Map<String, Object>> undecided = new ArrayList<>();
        for (KeyResult k : r.undecided()) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("key", k.key());
            u.put("reason", k.reason());
            u.put("ops", k.ops());
            u.put("deepest", k.deepest());
            u.put("steps", k.steps());
            u.put("states", k.states());
            undecided.add(u);
        }
        m.put("undecided", undecided);
        return m;
    }
}
