package io.stresslab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every before/after benchmark with settings sized for 2 cores and writes ONE JMH JSON file.
 * <pre>
 *   java -cp bench/target/benchmarks.jar io.stresslab.bench.BenchMain quick|full [--db h2,postgresql]
 *        [--include REGEX] [--out FILE]
 * </pre>
 * {@code quick} is a smoke run (proves they run; its numbers mean little); {@code full} is for real measurements.
 * Benchmarks that measure contention run once per thread count in {@link #THREADS}; before and after are always in
 * the same JMH run (a {@code variant} parameter), beside their ceiling.
 */
public final class BenchMain {
    /** Thread counts per benchmark class; others run single-threaded. */
    static final Map<String, List<Integer>> THREADS = Map.of(
            "io.stresslab.bench.kagent.ToolSetRefreshBenchmark", List.of(1, 2, 4),
            "io.stresslab.bench.taos.IdempotentRequestBenchmark", List.of(1, 2),
            "io.stresslab.bench.taos.TokenIssueBenchmark", List.of(1, 2),
            "io.stresslab.bench.taos.DatabaseIdempotencyBenchmark", List.of(1, 2),
            "io.stresslab.bench.molecule.CooldownGateBenchmark", List.of(1, 2),
            "io.stresslab.bench.orch.LockAcquireReleaseBenchmark", List.of(1, 2, 4));

    private record Preset(int warmups, TimeValue warmupTime, int iterations, TimeValue iterationTime, int forks) {
    }

    private static final Map<String, Preset> PRESETS = Map.of(
            "quick", new Preset(1, TimeValue.seconds(1), 2, TimeValue.seconds(1), 1),
            "full", new Preset(3, TimeValue.seconds(1), 5, TimeValue.seconds(2), 1));

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws IOException, RunnerException {
        if (args.length == 0 || !PRESETS.containsKey(args[0])) {
            throw new IllegalArgumentException("usage: BenchMain quick|full [--db h2,postgresql] [--include REGEX]"
                    + " [--out FILE]");
        }
        Preset preset = PRESETS.get(args[0]);
        String dbs = "h2";
        String include = "io\\.stresslab\\.bench\\..*";
        Path out = Path.of("bench/target/jmh-" + args[0] + ".json");
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--db" -> dbs = require(value, "--db");
                case "--include" -> include = require(value, "--include");
                case "--out" -> out = Path.of(require(value, "--out"));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        Pattern.compile(include);
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx2g", "-Xshare:off"));
        for (String p : List.of("stresslab.pg.url", "stresslab.pg.user", "stresslab.pg.password")) {
            if (System.getProperty(p) != null) {
                jvmArgs.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        if (Runtime.version().feature() >= 24) {
            jvmArgs.add("--enable-native-access=ALL-UNNAMED");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode merged = json.createArrayNode();
        Pattern wanted = Pattern.compile(include);
        // contention benchmarks once per thread count, then everything else once
        for (Map.Entry<String, List<Integer>> e : THREADS.entrySet()) {
            if (!wanted.matcher(e.getKey() + ".").find()) {
                continue;
            }
            for (int threads : e.getValue()) {
                ChainedOptionsBuilder b = options(preset, dbs, jvmArgs, threads).include(Pattern.quote(e.getKey())
                        + "\\..*");
                collect(b, merged, json);
            }
        }
        ChainedOptionsBuilder rest = options(preset, dbs, jvmArgs, 1).include(include);
        THREADS.keySet().forEach(cls -> rest.exclude(Pattern.quote(cls) + "\\..*"));
        collect(rest, merged, json);
        json.writeValue(out.toFile(), merged);
        System.out.println("bench: " + merged.size() + " results in " + out.toAbsolutePath());
        return 0;
    }

    private static ChainedOptionsBuilder options(Preset preset, String dbs, List<String> jvmArgs, int threads) {
        return new OptionsBuilder()
                .warmupIterations(preset.warmups())
                .warmupTime(preset.warmupTime())
                .measurementIterations(preset.iterations())
                .measurementTime(preset.iterationTime())
                .forks(preset.forks())
                .threads(threads)
                .param("db", dbs.split(","))
                .jvmArgsAppend(jvmArgs.toArray(String[]::new));
    }

    /** Runs one JMH invocation into a temporary JSON file and appends its results to {@code merged}. */
    private static void collect(ChainedOptionsBuilder b, ArrayNode merged, ObjectMapper json)
            throws IOException, RunnerException {
        Path part = Files.createTempFile("jmh-part", ".json");
        try {
            b.resultFormat(ResultFormatType.JSON).result(part.toString());
            try {
                if (new Runner(b.build()).run().isEmpty()) {
                    return;
                }
            } catch (NoBenchmarksException e) {
                return; // --include matched none of this invocation's benchmarks
            }
            for (JsonNode n : json.readTree(part.toFile())) {
                merged.add(n);
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
