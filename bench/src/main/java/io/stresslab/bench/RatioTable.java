package io.stresslab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stresslab.stress.harness.JmhForks;
import io.stresslab.stress.harness.PairedRatio;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a JMH JSON result file written by {@link BenchMain} (e.g. {@code bench/target/jmh-full.json}) and prints, per
 * catalogued pair, a markdown table: one row per benchmark method × thread count × parameters (other than
 * {@code variant}), with the before, after, ceiling and pgbench scores (each the mean of its forks) and the paired
 * ratios after/before, after/ceiling and after/pgbench (and the floor and after/floor where the benchmark has a
 * {@link #FLOOR} variant).
 * <pre>
 *   java -cp bench/target/benchmarks.jar io.stresslab.bench.RatioTable [--plain] bench/target/jmh-full.json
 * </pre>
 * Ratios are speed ratios: for throughput the scores' quotient, for time modes (sample, average, single shot) the
 * inverse, so above 1 always means "after is faster". Each is paired: fork i of after over fork i of the other side
 * (BenchMain runs them in the same round, so whatever the machine did during that round is in both), the geometric
 * mean over the pairs, and {@code ± h %} the half-width of its 95 % confidence interval from Student's t on the pairs'
 * log ratios, as a percentage of the ratio. Where the file has each fork's CPU steal ({@code stresslab.forkCpuSteal})
 * and it varied, a ratio is read at equal steal instead and marked {@code †} ({@link PairedRatio}; {@code --plain}
 * shows the plain ones). A file without BenchMain's {@code stresslab.forkScores} (older runs) pairs JMH's own forks;
 * with one fork there is no interval ({@code ± ?}).
 */
public final class RatioTable {
    /** One before/after pair: the benchmark class it lives in and its variant names, as the checks name them. */
    record Pair(String bug, String benchmarkClass, String before, String after, String ceiling) {
    }

    static final List<Pair> PAIRS = List.of(
            new Pair("KAGENT-1", "kagent.AgentUpsertDuringRemoteCallBenchmark", "shared-lock-across-io",
                    "io-outside-lock", "ceiling"),
            new Pair("KAGENT-2", "kagent.ToolSetRefreshBenchmark", "statement-by-statement", "server-row-locked",
                    "ceiling"),
            new Pair("KAGENT-2 (as merged)", "kagent.ToolSetRefreshBenchmark", "statement-by-statement",
                    "transactional-delete-insert", "ceiling"),
            new Pair("MOLECULE-2", "molecule.CooldownGateBenchmark", "load-then-store", "atomic-compute", "ceiling"),
            new Pair("ARCHON-1", "archon.SessionOpenBenchmark", "blocking-lock-on-loop", "async-lock-outside-yield",
                    "ceiling"),
            new Pair("ORCH-2", "orch.LockAcquireReleaseBenchmark", "insert-only-lock", "lease-fencing-lock",
                    "ceiling"),
            new Pair("TAOS-1", "taos.IdempotentRequestBenchmark", "get-then-set", "atomic-reservation", "ceiling"),
            new Pair("TAOS-2", "taos.TokenIssueBenchmark", "in-process-lock", "serialized-per-agent", "ceiling"),
            new Pair("TAOS-3", "taos.DatabaseIdempotencyBenchmark", "per-process-cache", "database-reservation",
                    "ceiling"));

    /**
     * The variant a benchmark may add beside its ceiling: the cheapest thing a correct design must still do (e.g. a
     * replay's clock read for a retention); shown as two more columns where a pair has it.
     */
    static final String FLOOR = "floor";

    /** The variants a pair's after is compared with, in the table's column order. */
    static List<String> comparedWith(Pair pair) {
        return List.of(pair.before(), pair.ceiling(), BenchMain.PGBENCH, FLOOR);
    }

    /** Marks a ratio read at equal CPU steal. */
    static final String EQUAL_STEAL_MARK = "†";

    /** The percentiles shown for sample-mode results. */
    private static final List<String> PERCENTILES = List.of("50.0", "99.0", "99.99", "100.0");

    /**
     * A score with its error, in the benchmark's unit, whether larger is better, and (sample mode) its percentiles.
     */
    record Score(double value, double error, String unit, boolean higherIsBetter, JsonNode percentiles,
                 double[] forks, double[] forkSteal) {
        static Score of(JsonNode result) {
            JsonNode m = result.get("primaryMetric");
            double error = m.path("scoreError").isNumber() ? m.get("scoreError").asDouble() : Double.NaN;
            JmhForks forks = JmhForks.of(result);
            return new Score(m.get("score").asDouble(), error, m.get("scoreUnit").asText(),
                    result.get("mode").asText().equals("thrpt"), m.path("scorePercentiles"), forks.scores(),
                    forks.steal());
        }

        /** The mean of the forks' CPU steal readings; NaN without any. */
        double steal() {
            return forkSteal == null ? Double.NaN : Arrays.stream(forkSteal).filter(x -> !Double.isNaN(x)).average()
                    .orElse(Double.NaN);
        }

        /** How many times faster this is than {@code other}, from paired forks, at equal steal if {@code adjust}. */
        PairedRatio speedup(Score other, boolean adjust) {
            return adjust ? PairedRatio.of(forks, other.forks, forkSteal, other.forkSteal, higherIsBetter)
                    : PairedRatio.of(forks, other.forks, higherIsBetter);
        }
    }

    private RatioTable() {
    }

    /**
     * The widest relative 95 % half-width among the ratios the table shows for one configuration of {@code benchmark}
     * (a benchmark method's full name): for each pair of its class, after over before, ceiling, floor and pgbench,
     * from the variants' fork scores and CPU steal readings (NaN where unread; a variant may have none) in round
     * order, read at equal steal as the table reads them. Infinite while a shown ratio has fewer than two pairs; 0 if
     * the class has no pair.
     */
    static double widestHalfWidth(String benchmark, Map<String, double[]> forkScores, Map<String, double[]> forkSteal,
                                  boolean higherIsBetter) {
        double widest = 0;
        for (Pair pair : PAIRS) {
            double[] after = forkScores.get(pair.after());
            if (!benchmark.startsWith("io.stresslab.bench." + pair.benchmarkClass() + ".") || after == null) {
                continue;
            }
            for (String other : comparedWith(pair)) {
                double[] b = forkScores.get(other);
                PairedRatio r = b == null ? null : PairedRatio.of(after, b, forkSteal.get(pair.after()),
                        forkSteal.get(other), higherIsBetter);
                if (r != null) {
                    double h = r.relativeHalfWidth();
                    widest = Math.max(widest, Double.isNaN(h) ? Double.POSITIVE_INFINITY : h);
                }
            }
        }
        return widest;
    }

    public static void main(String[] args) throws IOException {
        boolean plain = args.length == 2 && args[0].equals("--plain");
        if (args.length != (plain ? 2 : 1) || args[args.length - 1].startsWith("-")) {
            System.err.println("usage: RatioTable [--plain] JMH_JSON   (--plain: ratios not read at equal CPU steal)");
            System.exit(2);
        }
        String file = args[args.length - 1];
        JsonNode results;
        try {
            results = new ObjectMapper().readTree(Path.of(file).toFile());
        } catch (IOException e) {
            System.err.println("RatioTable: cannot read " + file + ": " + e.getMessage().lines().findFirst()
                    .orElse(e.getClass().getSimpleName()));
            System.exit(2);
            return;
        }
        if (results == null || !results.isArray()) {
            System.err.println("RatioTable: not a JMH result file (expected a JSON array): " + file);
            System.exit(2);
            return;
        }
        System.out.print(render(results, !plain));
    }

    /** The tables; with {@code atEqualSteal}, ratios whose forks' CPU steal varied are read at equal steal (†). */
    static String render(JsonNode results, boolean atEqualSteal) {
        StringBuilder out = new StringBuilder();
        for (Pair pair : PAIRS) {
            // row key (method, threads, params but variant) -> variant -> score
            Map<String, Map<String, Score>> rows = new TreeMap<>();
            for (JsonNode r : results) {
                String benchmark = r.get("benchmark").asText();
                String prefix = "io.stresslab.bench." + pair.benchmarkClass() + ".";
                if (!benchmark.startsWith(prefix)) {
                    continue;
                }
                Map<String, String> params = new TreeMap<>();
                r.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
                String variant = params.remove("variant");
                StringBuilder key = new StringBuilder(benchmark.substring(prefix.length()));
                params.forEach((k, v) -> key.append(' ').append(k).append('=').append(v));
                key.append(" threads=").append(r.get("threads").asInt());
                rows.computeIfAbsent(key.toString(), k -> new LinkedHashMap<>()).put(variant, Score.of(r));
            }
            if (rows.isEmpty()) {
                continue;
            }
            boolean floor = rows.values().stream().anyMatch(v -> v.containsKey(FLOOR));
            boolean steal = rows.values().stream().flatMap(v -> v.values().stream())
                    .anyMatch(s -> !Double.isNaN(s.steal()));
            out.append("\n### ").append(pair.bug()).append(": ").append(pair.after()).append(" vs ")
                    .append(pair.before()).append("\n\n")
                    .append("| benchmark | before | after | ceiling | pgbench | after/before | after/ceiling"
                            + " | after/pgbench |").append(floor ? " floor | after/floor |" : "")
                    .append(steal ? " rounds | CPU steal |\n" : "\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|---:|").append(floor ? "---:|---:|" : "")
                    .append(steal ? "---:|---:|\n" : "\n");
            StringBuilder body = new StringBuilder();
            rows.forEach((key, byVariant) -> body.append(row(key, byVariant, pair, floor, steal, atEqualSteal)));
            out.append(body);
            if (body.indexOf(EQUAL_STEAL_MARK) >= 0) {
                out.append("\n").append(EQUAL_STEAL_MARK).append(" read at equal CPU steal: the pairs' log ratios fitted"
                        + " to the log of their forks' CPU shares, the line's value where both got the same CPU, its"
                        + " 95 % t interval (stresslab.stress.harness.PairedRatio)\n");
            }
            out.append(percentiles(rows, pair));
        }
        return out.toString();
    }

    private static String row(String key, Map<String, Score> byVariant, Pair pair, boolean withFloor,
                              boolean withSteal, boolean atEqualSteal) {
        Score before = byVariant.get(pair.before());
        Score after = byVariant.get(pair.after());
        Score ceiling = byVariant.get(pair.ceiling());
        Score pgbench = byVariant.get(BenchMain.PGBENCH);
        List<String> cells = new ArrayList<>(List.of(key, format(before), format(after), format(ceiling),
                format(pgbench)));
        for (String other : comparedWith(pair)) { // after/before, after/ceiling, after/pgbench [, floor, after/floor]
            if (other.equals(FLOOR)) {
                if (!withFloor) {
                    continue;
                }
                cells.add(format(byVariant.get(FLOOR)));
            }
            cells.add(ratio(after, byVariant.get(other), atEqualSteal));
        }
        if (withSteal) { // the rounds run, and the hypervisor's share of the CPU: the mean of its variants' means
            cells.add(Integer.toString(byVariant.values().stream().mapToInt(s -> s.forks().length).max().orElse(0)));
            double steal = byVariant.values().stream().mapToDouble(Score::steal).filter(x -> !Double.isNaN(x))
                    .average().orElse(Double.NaN);
            cells.add(Double.isNaN(steal) ? "?" : String.format(Locale.ROOT, "%.0f %%", steal * 100));
        }
        return "| " + String.join(" | ", cells) + " |\n";
    }

    /** For sample-mode results: the latency percentiles of before, after and ceiling per row. */
    private static String percentiles(Map<String, Map<String, Score>> rows, Pair pair) {
        StringBuilder out = new StringBuilder();
        rows.forEach((key, byVariant) -> {
            for (String variant : List.of(pair.before(), pair.after(), pair.ceiling())) {
                Score s = byVariant.get(variant);
                if (s == null || s.higherIsBetter() || !s.percentiles().has(PERCENTILES.get(0))) {
                    continue;
                }
                if (out.isEmpty()) {
                    out.append("\n| benchmark | variant | p50 | p99 | p99.99 | max |\n|---|---|---:|---:|---:|---:|\n");
                }
                out.append("| ").append(key).append(" | ").append(variant);
                PERCENTILES.forEach(p -> out.append(" | ").append(sig(s.percentiles().path(p).asDouble(Double.NaN)))
                        .append(' ').append(s.unit()));
                out.append(" |\n");
            }
        });
        return out.toString();
    }

    private static String format(Score s) {
        return s == null ? "—" : sig(s.value()) + " " + s.unit();
    }

    /**
     * "0.832 ± 3.8 %" (paired ratio, half-width of its 95 % CI), with {@link #EQUAL_STEAL_MARK} when read at equal CPU
     * steal, "0.832 ± ?" with one pair, "—" without data.
     */
    private static String ratio(Score a, Score b, boolean atEqualSteal) {
        if (a == null || b == null) {
            return "—";
        }
        PairedRatio r = a.speedup(b, atEqualSteal);
        if (r == null) {
            return "—";
        }
        double h = r.relativeHalfWidth() * 100;
        return sig(r.ratio()) + " ± " + (Double.isNaN(h) ? "?" : String.format(Locale.ROOT, h < 10 ? "%.1f %%"
                : "%.0f %%", h)) + (r.atEqualSteal() ? " " + EQUAL_STEAL_MARK : "");
    }

    /** Three significant digits, plain notation. */
    static String sig(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        if (v == 0) {
            return "0";
        }
        int digits = Math.max(0, 2 - (int) Math.floor(Math.log10(Math.abs(v))));
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
