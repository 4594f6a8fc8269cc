package io.stresslab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a JMH JSON result file (e.g. {@code bench/target/jmh-full.json}) and prints, per catalogued pair, a markdown
 * table: one row per benchmark method × thread count × parameters (other than {@code variant}), with the before,
 * after and ceiling scores and the ratios after/before and after/ceiling.
 * <pre>
 *   java -cp bench/target/benchmarks.jar io.stresslab.bench.RatioTable bench/target/jmh-full.json
 * </pre>
 * Ratios are speed ratios: for throughput the scores' quotient, for time modes (sample, average, single shot) the
 * inverse, so above 1 always means "after is faster". Errors are JMH's {@code scoreError} (the 99.9 % confidence
 * half-width of each score) propagated to the quotient to first order: {@code r·√((ea/a)² + (eb/b)²)}.
 */
public final class RatioTable {
    /** One before/after pair: the benchmark class it lives in and its three variant names. */
    record Pair(String bug, String benchmarkClass, String before, String after, String ceiling) {
    }

    static final List<Pair> PAIRS = List.of(
            new Pair("KAGENT-1", "kagent.AgentUpsertDuringRemoteCallBenchmark", "shared-lock-across-io",
                    "io-outside-lock", "ceiling"),
            new Pair("KAGENT-2", "kagent.ToolSetRefreshBenchmark", "statement-by-statement", "server-row-locked",
                    "ceiling"),
            new Pair("KAGENT-2 (as merged)", "kagent.ToolSetRefreshBenchmark", "statement-by-statement",
                    "transactional-delete-insert", "ceiling"),
            new Pair("MOLECULE-2", "molecule.CooldownGateBenchmark", "load-then-store", "atomic", "ceiling"),
            new Pair("ARCHON-1", "archon.SessionOpenBenchmark", "blocking-lock", "async-lock", "ceiling"),
            new Pair("ORCH-2", "orch.LockAcquireReleaseBenchmark", "insert-only", "lease", "ceiling"),
            new Pair("TAOS-1", "taos.IdempotentRequestBenchmark", "get-then-set", "reserving", "ceiling"),
            new Pair("TAOS-2", "taos.TokenIssueBenchmark", "locked-rotate", "serialized", "ceiling"),
            new Pair("TAOS-3", "taos.DatabaseIdempotencyBenchmark", "per-process-cache", "database-reservation",
                    "ceiling"));

    /** The percentiles shown for sample-mode results. */
    private static final List<String> PERCENTILES = List.of("50.0", "99.0", "99.99", "100.0");

    /**
     * A score with its error, in the benchmark's unit, whether larger is better, and (sample mode) its percentiles.
     */
    record Score(double value, double error, String unit, boolean higherIsBetter, JsonNode percentiles) {
        static Score of(JsonNode result) {
            JsonNode m = result.get("primaryMetric");
            double error = m.path("scoreError").isNumber() ? m.get("scoreError").asDouble() : Double.NaN;
            return new Score(m.get("score").asDouble(), error, m.get("scoreUnit").asText(),
                    result.get("mode").asText().equals("thrpt"), m.path("scorePercentiles"));
        }

        /** How many times faster this is than {@code other}, with the propagated error. */
        double[] speedup(Score other) {
            double r = higherIsBetter ? value / other.value : other.value / value;
            double rel = Math.sqrt(Math.pow(error / value, 2) + Math.pow(other.error / other.value, 2));
            return new double[] {r, r * rel};
        }
    }

    private RatioTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RatioTable JMH_JSON");
            System.exit(2);
        }
        System.out.print(render(new ObjectMapper().readTree(Path.of(args[0]).toFile())));
    }

    static String render(JsonNode results) {
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
            out.append("\n### ").append(pair.bug()).append(": ").append(pair.after()).append(" vs ")
                    .append(pair.before()).append("\n\n")
                    .append("| benchmark | before | after | ceiling | after/before | after/ceiling |\n")
                    .append("|---|---:|---:|---:|---:|---:|\n");
            rows.forEach((key, byVariant) -> out.append(row(key, byVariant, pair)));
            out.append(percentiles(rows, pair));
        }
        return out.toString();
    }

    private static String row(String key, Map<String, Score> byVariant, Pair pair) {
        Score before = byVariant.get(pair.before());
        Score after = byVariant.get(pair.after());
        Score ceiling = byVariant.get(pair.ceiling());
        List<String> cells = new ArrayList<>(List.of(key, format(before), format(after), format(ceiling),
                ratio(after, before), ratio(after, ceiling)));
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
        return s == null ? "—" : String.format(Locale.ROOT, "%s ± %s %s", sig(s.value()), sig(s.error()), s.unit());
    }

    private static String ratio(Score a, Score b) {
        if (a == null || b == null) {
            return "—";
        }
        double[] r = a.speedup(b);
        return String.format(Locale.ROOT, "%s ± %s", sig(r[0]), sig(r[1]));
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
