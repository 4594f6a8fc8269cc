package io.stresslab.bench;

import io.stresslab.core.db.PgSettings;
import io.stresslab.core.host.CpuSteal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.commons.math3.distribution.TDistribution;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the before/after benchmarks interleaved, so that the machine's drift cancels out of their ratios, and writes
 * ONE JMH-format JSON file.
 * <pre>
 *   java -cp bench/target/benchmarks.jar io.stresslab.bench.BenchMain quick|short|full [--db h2,postgresql]
 *        [--include REGEX] [--threads 1,4] [--forks N] [--seed N] [--no-pgbench] [--out FILE]
 * </pre>
 * A <b>configuration</b> is one benchmark method with one thread count and one value of every {@code @Param} but
 * {@code variant}. Its variants — before, after, ceiling, and on PostgreSQL a {@link Pgbench} run of the after's
 * statements — run as {@code forks} short JMH forks each, in rounds: round i runs fork i of every variant, in an
 * order shuffled per round (e.g. after ceiling before | before after ceiling | …), one JMH invocation per fork. The
 * output has one JMH result per configuration and variant whose raw data lists its forks in round order, plus
 * {@code stresslab.forkScores} (fork i's score) — so fork i of after and fork i of before ran side by side and their
 * quotient is one paired ratio ({@link RatioTable}: the geometric mean of the pairs and its 95 % t interval).
 * The merged {@code score} is the mean of the fork scores and {@code scoreError} the 99.9 % t half-width over forks
 * (JMH's convention).
 */
public final class BenchMain {
    /** The benchmark classes, in table order. */
    static final List<String> CLASSES = List.of(
            "io.stresslab.bench.kagent.AgentUpsertDuringRemoteCallBenchmark",
            "io.stresslab.bench.kagent.ToolSetRefreshBenchmark",
            "io.stresslab.bench.molecule.CooldownGateBenchmark",
            "io.stresslab.bench.archon.SessionOpenBenchmark",
            "io.stresslab.bench.orch.LockAcquireReleaseBenchmark",
            "io.stresslab.bench.taos.IdempotentRequestBenchmark",
            "io.stresslab.bench.taos.TokenIssueBenchmark",
            "io.stresslab.bench.taos.DatabaseIdempotencyBenchmark");

    /** Thread counts per benchmark class; others run single-threaded. */
    static final Map<String, List<Integer>> THREADS = Map.of(
            "io.stresslab.bench.kagent.ToolSetRefreshBenchmark", List.of(1, 2, 4),
            "io.stresslab.bench.taos.IdempotentRequestBenchmark", List.of(1, 2),
            "io.stresslab.bench.taos.TokenIssueBenchmark", List.of(1, 2),
            "io.stresslab.bench.taos.DatabaseIdempotencyBenchmark", List.of(1, 2),
            "io.stresslab.bench.molecule.CooldownGateBenchmark", List.of(1, 2),
            "io.stresslab.bench.orch.LockAcquireReleaseBenchmark", List.of(1, 2, 4));

    /** The pgbench pseudo-variant's name. */
    static final String PGBENCH = "pgbench";

    /**
     * Forks per variant: at least {@code forks} rounds, and more, up to {@code maxForks}, while any ratio the table
     * shows for the configuration has a 95 % half-width above {@code precision} (a fraction of the ratio).
     */
    record Preset(int warmups, TimeValue warmupTime, int iterations, TimeValue iterationTime, int forks,
                  int maxForks, double precision) {
        Preset rounds(int min, int max) {
            return new Preset(warmups, warmupTime, iterations, iterationTime, min, Math.max(min, max), precision);
        }

        Preset precision(double fraction) {
            return new Preset(warmups, warmupTime, iterations, iterationTime, forks, maxForks, fraction);
        }

        double seconds() {
            return (warmups * warmupTime.convertTo(java.util.concurrent.TimeUnit.MILLISECONDS)
                    + iterations * iterationTime.convertTo(java.util.concurrent.TimeUnit.MILLISECONDS)) / 1000.0;
        }
    }

    static final Map<String, Preset> PRESETS = Map.of(
            "quick", new Preset(1, TimeValue.milliseconds(500), 2, TimeValue.milliseconds(500), 2, 2, 0.10),
            "short", new Preset(4, TimeValue.seconds(1), 3, TimeValue.milliseconds(500), 5, 5, 0.10),
            "full", new Preset(5, TimeValue.seconds(1), 4, TimeValue.seconds(1), 5, 20, 0.10));

    /** One configuration: a method, its thread count and its params without {@code variant}. */
    record Config(String benchmark, Mode mode, int threads, Map<String, String> params, List<String> variants) {
        String describe() {
            StringBuilder sb = new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf(
                    '.') - 1) + 1));
            params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            return sb.append(" threads=").append(threads).toString();
        }
    }

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

    /** Before any fork: PostgreSQL is configured and answers, else one line (exit 2) instead of failing forks. */
    private static void requirePostgres() {
        PgSettings pg = PgSettings.configured().orElseThrow(() -> new IllegalArgumentException("--db postgresql needs "
                + "the server's JDBC URL in STRESSLAB_PG_URL (or -D" + PgSettings.URL_PROPERTY
                + "), e.g. jdbc:postgresql://127.0.0.1:5432/test"));
        DriverManager.setLoginTimeout(10);
        try (Connection probe = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
            probe.isValid(10);
        } catch (SQLException | RuntimeException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
            throw new IllegalArgumentException("cannot reach PostgreSQL at " + pg.url() + ": " + why);
        }
    }

    static int run(String[] args) throws IOException, RunnerException, InterruptedException {
        if (args.length == 0 || !PRESETS.containsKey(args[0])) {
            throw new IllegalArgumentException("usage: BenchMain quick|short|full [--db h2,postgresql]"
                    + " [--include REGEX] [--threads N,M] [--forks N] [--max-forks N] [--precision PCT] [--seed N]"
                    + " [--no-pgbench] [--out FILE]");
        }
        Preset preset = PRESETS.get(args[0]);
        String dbs = "h2";
        String include = "io\\.stresslab\\.bench\\..*";
        List<Integer> threadFilter = null;
        long seed = System.nanoTime();
        boolean pgbenchWanted = true;
        Integer minForks = null;
        Integer maxForks = null;
        Path out = Path.of("bench/target/jmh-" + args[0] + ".json");
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--no-pgbench")) {
                pgbenchWanted = false;
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--db" -> dbs = require(value, "--db");
                case "--include" -> include = require(value, "--include");
                case "--out" -> out = Path.of(require(value, "--out"));
                case "--threads" -> threadFilter = Arrays.stream(require(value, "--threads").split(","))
                        .map(t -> positive(t, "--threads")).toList();
                case "--forks" -> minForks = positive(require(value, "--forks"), "--forks");
                case "--max-forks" -> maxForks = positive(require(value, "--max-forks"), "--max-forks");
                case "--precision" -> preset = preset.precision(percent(require(value, "--precision")) / 100);
                case "--seed" -> seed = parseLong(require(value, "--seed"));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        int min = minForks != null ? minForks : preset.forks();
        preset = preset.rounds(min, maxForks != null ? maxForks : minForks != null ? min : preset.maxForks());
        for (String db : dbs.split(",")) {
            if (!db.equals("h2") && !db.equals("postgresql")) {
                throw new IllegalArgumentException("unknown database '" + db + "' (h2, postgresql)");
            }
            if (db.equals("postgresql")) {
                requirePostgres();
            }
        }
        Pattern wanted;
        try {
            wanted = Pattern.compile(include);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--include is not a regular expression: " + e.getDescription());
        }
        List<Config> configs = configurations(wanted, dbs.split(","), threadFilter);
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("--include '" + include + "' matches no benchmark");
        }
        Pgbench pgbench = null;
        if (pgbenchWanted && configs.stream().anyMatch(c -> "postgresql".equals(c.params().get("db"))
                && Pgbench.script(c.benchmark(), c.params()).isPresent())) {
            Optional<Path> exe = Pgbench.find();
            if (exe.isPresent()) {
                pgbench = Pgbench.open(exe.get());
            } else {
                System.out.println("bench: pgbench not found (PATH, /usr/lib/postgresql/*/bin): no pgbench ceilings");
            }
        }
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx2g", "-Xshare:off"));
        for (String p : List.of(PgSettings.URL_PROPERTY, PgSettings.USER_PROPERTY, PgSettings.PASSWORD_PROPERTY)) {
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
        Random random = new Random(seed);
        final Pgbench pg = pgbench;
        final Preset rounds = preset;
        long runs = configs.stream().mapToLong(c -> (long) variants(c, pg).size() * rounds.forks()).sum();
        long most = configs.stream().mapToLong(c -> (long) variants(c, pg).size() * rounds.maxForks()).sum();
        System.out.printf(Locale.ROOT, "bench: %d configurations, %s runs of %.1f s each plus a JVM start (%d forks"
                + " per variant%s, interleaved; seed %d), at least %d min%s%n", configs.size(), runs == most ? runs
                : runs + "–" + most, preset.seconds(), preset.forks(), preset.forks() == preset.maxForks() ? ""
                : ", up to " + preset.maxForks() + " while a ratio's 95 % half-width exceeds "
                + pct(preset.precision()) + " %", seed, Math.round(runs * (preset.seconds() + 3) / 60),
                most == runs ? "" : ", at most " + Math.round(most * (preset.seconds() + 3) / 60) + " min");
        Instant started = Instant.now();
        long done = 0;
        try {
            for (Config c : configs) {
                List<String> variants = variants(c, pg);
                Map<String, List<JsonNode>> forks = new LinkedHashMap<>();
                Map<String, List<Integer>> positions = new LinkedHashMap<>();
                List<List<String>> orders = new ArrayList<>();
                Map<String, List<Double>> steals = new LinkedHashMap<>();
                variants.forEach(v -> {
                    forks.put(v, new ArrayList<>());
                    positions.put(v, new ArrayList<>());
                    steals.put(v, new ArrayList<>());
                });
                for (int f = 0; f < preset.maxForks(); f++) {
                    if (f >= preset.forks()) {
                        double w = RatioTable.widestHalfWidth(c.benchmark(), scores(forks), steal(steals),
                                c.mode() == Mode.Throughput);
                        if (w <= preset.precision()) {
                            break;
                        }
                        runs += variants.size();
                    }
                    List<String> order = new ArrayList<>(variants);
                    Collections.shuffle(order, random);
                    orders.add(order);
                    for (int k = 0; k < order.size(); k++) {
                        String v = order.get(k);
                        CpuSteal before = CpuSteal.now();
                        JsonNode r = v.equals(PGBENCH) ? pgbenchFork(pg, c, preset, json)
                                : jmhFork(c, v, preset, jvmArgs, json);
                        double stolen = CpuSteal.now().since(before);
                        forks.get(v).add(r);
                        positions.get(v).add(k);
                        steals.get(v).add(stolen);
                        done++;
                        System.out.printf(Locale.ROOT, "bench: [%d/%d] %s fork %d/%d %s: %s%s%n", done, runs,
                                c.describe(), f + 1, Math.max(f + 1, preset.forks()), v, r == null ? "FAILED"
                                        : RatioTable.sig(r.path("primaryMetric").path("score").asDouble()) + " "
                                        + r.path("primaryMetric").path("scoreUnit").asText(), Double.isNaN(stolen)
                                        ? "" : String.format(Locale.ROOT, " (CPU steal %.0f %%)", stolen * 100));
                    }
                }
                if (preset.maxForks() > preset.forks()) {
                    double w = RatioTable.widestHalfWidth(c.benchmark(), scores(forks), steal(steals),
                            c.mode() == Mode.Throughput);
                    double steal = steals.values().stream().flatMap(List::stream).filter(x -> !x.isNaN())
                            .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                    System.out.printf(Locale.ROOT, "bench: %s: %d rounds, widest 95 %% half-width %.1f %%%s%s%n",
                            c.describe(), orders.size(), w * 100, w <= preset.precision() ? ""
                                    : " (still above " + pct(preset.precision()) + " % at --max-forks)",
                            Double.isNaN(steal) ? "" : String.format(Locale.ROOT, "; mean CPU steal %.0f %%",
                                    steal * 100));
                }
                for (String v : variants) {
                    JsonNode m = merge(json, forks.get(v), positions.get(v), steals.get(v), orders, c, v, preset);
                    if (m != null) {
                        merged.add(m);
                    }
                }
                json.writeValue(out.toFile(), merged); // what ran so far survives an interrupted run
            }
        } finally {
            if (pgbench != null) {
                pgbench.close();
            }
        }
        json.writeValue(out.toFile(), merged);
        System.out.println("bench: " + merged.size() + " results in " + out.toAbsolutePath() + " ("
                + Duration.between(started, Instant.now()).toMinutes() + " min)");
        return 0;
    }

    private static List<String> variants(Config c, Pgbench pg) {
        List<String> v = new ArrayList<>(c.variants());
        if (pg != null && "postgresql".equals(c.params().get("db"))
                && Pgbench.script(c.benchmark(), c.params()).isPresent()) {
            v.add(PGBENCH);
        }
        return v;
    }

    /** Every configuration of the wanted benchmarks, read from their {@code @Param} and {@code @Benchmark}s. */
    static List<Config> configurations(Pattern wanted, String[] dbs, List<Integer> threadFilter) {
        List<Config> out = new ArrayList<>();
        for (String cls : CLASSES) {
            Class<?> type;
            try {
                type = Class.forName(cls);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("benchmark class missing from the jar: " + cls, e);
            }
            Map<String, List<String>> params = new TreeMap<>();
            List<String> variants = List.of();
            for (Field f : type.getFields()) {
                Param p = f.getAnnotation(Param.class);
                if (p == null) {
                    continue;
                }
                if (f.getName().equals("variant")) {
                    variants = List.of(p.value());
                } else {
                    params.put(f.getName(), f.getName().equals("db") ? List.of(dbs) : List.of(p.value()));
                }
            }
            BenchmarkMode bm = type.getAnnotation(BenchmarkMode.class);
            Mode mode = bm == null ? Mode.Throughput : bm.value()[0];
            List<Integer> threadCounts = new ArrayList<>(THREADS.getOrDefault(cls, List.of(1)));
            if (threadFilter != null) {
                threadCounts.retainAll(threadFilter);
            }
            List<Method> methods = Arrays.stream(type.getMethods())
                    .filter(m -> m.isAnnotationPresent(Benchmark.class))
                    .sorted((a, b) -> a.getName().compareTo(b.getName())).toList();
            for (Method m : methods) {
                String name = cls + "." + m.getName();
                if (!wanted.matcher(name).find()) {
                    continue;
                }
                for (int t : threadCounts) {
                    for (Map<String, String> combo : combinations(params)) {
                        out.add(new Config(name, mode, t, combo, variants));
                    }
                }
            }
        }
        return out;
    }

    private static List<Map<String, String>> combinations(Map<String, List<String>> params) {
        List<Map<String, String>> out = new ArrayList<>(List.of(new TreeMap<>()));
        params.forEach((name, values) -> {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : values) {
                    Map<String, String> m = new TreeMap<>(partial);
                    m.put(name, v);
                    next.add(m);
                }
            }
            out.clear();
            out.addAll(next);
        });
        return out;
    }

    /** One JMH fork of one variant: its result node, or null if it failed. */
    private static JsonNode jmhFork(Config c, String variant, Preset preset, List<String> jvmArgs, ObjectMapper json)
            throws IOException {
        Path part = Files.createTempFile("jmh-part", ".json");
        try {
            ChainedOptionsBuilder b = new OptionsBuilder()
                    .include("^" + Pattern.quote(c.benchmark()) + "$")
                    .warmupIterations(preset.warmups())
                    .warmupTime(preset.warmupTime())
                    .measurementIterations(preset.iterations())
                    .measurementTime(preset.iterationTime())
                    .forks(1)
                    .threads(c.threads())
                    .param("variant", variant)
                    .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                    .verbosity(VerboseMode.SILENT)
                    .resultFormat(ResultFormatType.JSON)
                    .result(part.toString());
            c.params().forEach(b::param);
            try {
                if (new Runner(b.build()).run().isEmpty()) {
                    return null;
                }
            } catch (RunnerException e) { // also NoBenchmarksException
                return null;
            }
            JsonNode results = json.readTree(part.toFile());
            return results.isArray() && results.size() == 1 ? results.get(0) : null;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** One pgbench fork, as a JMH-shaped result node (score in the benchmark's unit), or null if it failed. */
    private static JsonNode pgbenchFork(Pgbench pg, Config c, Preset preset, ObjectMapper json) {
        boolean sample = c.mode() == Mode.SampleTime;
        long warm = preset.warmups() * preset.warmupTime().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS);
        long measure = preset.iterations()
                * preset.iterationTime().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS);
        double score;
        try {
            score = pg.run(Pgbench.script(c.benchmark(), c.params()).orElseThrow(), c.threads(),
                    (int) Math.max(1, Math.round(warm / 1000.0)), (int) Math.max(1, Math.round(measure / 1000.0)),
                    sample);
        } catch (IOException e) {
            System.out.println("bench: pgbench failed: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        ObjectNode n = json.createObjectNode();
        n.put("benchmark", c.benchmark());
        n.put("mode", c.mode().shortLabel()); // the benchmark's own mode, so every variant of a row groups together
        n.put("threads", c.threads());
        n.put("forks", 1);
        ObjectNode pm = n.putObject("primaryMetric");
        pm.put("score", score);
        pm.put("scoreUnit", sample ? "ms/op" : "ops/s");
        pm.putArray("rawData").addArray().add(score);
        return n;
    }

    /**
     * One JMH result for a variant: the first fork's node with every fork's raw data (in round order), the mean of
     * the fork scores, its 99.9 % t half-width, sample-mode percentiles from the merged histograms, and the
     * {@code stresslab} block that pairs it with the other variants of the configuration.
     */
    static JsonNode merge(ObjectMapper json, List<JsonNode> forks, List<Integer> positions, List<Double> steals,
                          List<List<String>> orders, Config c, String variant, Preset preset) {
        JsonNode first = forks.stream().filter(f -> f != null).findFirst().orElse(null);
        if (first == null) {
            return null;
        }
        ObjectNode n = first.deepCopy();
        ObjectNode params = n.has("params") ? (ObjectNode) n.get("params") : n.putObject("params");
        c.params().forEach(params::put);
        params.put("variant", variant);
        n.put("forks", forks.size());
        ObjectNode pm = (ObjectNode) n.get("primaryMetric");
        ArrayNode raw = json.createArrayNode();
        ArrayNode hist = json.createArrayNode();
        ArrayNode scores = json.createArrayNode();
        List<Double> valid = new ArrayList<>();
        List<double[]> histogram = new ArrayList<>();
        for (JsonNode f : forks) {
            if (f == null) {
                scores.add(Double.NaN);
                continue;
            }
            JsonNode fpm = f.path("primaryMetric");
            double s = fpm.path("score").asDouble();
            scores.add(s);
            valid.add(s);
            fpm.path("rawData").forEach(raw::add);
            for (JsonNode fork : fpm.path("rawDataHistogram")) {
                hist.add(fork);
                for (JsonNode iteration : fork) {
                    for (JsonNode pair : iteration) {
                        histogram.add(new double[] {pair.get(0).asDouble(), pair.get(1).asDouble()});
                    }
                }
            }
        }
        double mean = valid.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double error = Double.NaN;
        if (valid.size() >= 2) {
            double ss = valid.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            error = new TDistribution(null, valid.size() - 1).inverseCumulativeProbability(0.9995)
                    * Math.sqrt(ss / (valid.size() - 1)) / Math.sqrt(valid.size());
        }
        pm.put("score", mean);
        pm.put("scoreError", error);
        pm.putArray("scoreConfidence").add(mean - error).add(mean + error);
        if (!raw.isEmpty()) {
            pm.set("rawData", raw);
        }
        if (!hist.isEmpty()) {
            pm.set("rawDataHistogram", hist);
            pm.set("scorePercentiles", percentiles(json, histogram));
        } else if (!raw.isEmpty()) {
            List<double[]> values = new ArrayList<>();
            raw.forEach(fork -> fork.forEach(v -> values.add(new double[] {v.asDouble(), 1})));
            pm.set("scorePercentiles", percentiles(json, values));
        }
        n.remove("secondaryMetrics");
        ObjectNode meta = n.putObject("stresslab");
        meta.put("method", "interleaved forks, paired by round");
        meta.set("forkScores", scores);
        ArrayNode pos = meta.putArray("forkPositions");
        positions.forEach(pos::add);
        ArrayNode steal = meta.putArray("forkCpuSteal"); // the hypervisor's share of the CPU during each fork
        steals.forEach(x -> steal.add(x.isNaN() ? null : CpuSteal.rounded(x)));
        ArrayNode ord = meta.putArray("roundOrders");
        orders.forEach(o -> {
            ArrayNode a = ord.addArray();
            o.forEach(a::add);
        });
        meta.put("warmup", preset.warmups() + " x " + preset.warmupTime());
        meta.put("measurement", preset.iterations() + " x " + preset.iterationTime());
        return n;
    }

    private static ObjectNode percentiles(ObjectMapper json, List<double[]> weighted) {
        weighted.sort((a, b) -> Double.compare(a[0], b[0]));
        double total = weighted.stream().mapToDouble(w -> w[1]).sum();
        ObjectNode p = json.createObjectNode();
        for (String q : List.of("0.0", "50.0", "90.0", "95.0", "99.0", "99.9", "99.99", "99.999", "99.9999",
                "100.0")) {
            double rank = Double.parseDouble(q) / 100 * total;
            double seen = 0;
            double value = weighted.isEmpty() ? Double.NaN : weighted.get(weighted.size() - 1)[0];
            for (double[] w : weighted) {
                seen += w[1];
                if (seen >= rank && w[1] > 0) {
                    value = w[0];
                    break;
                }
            }
            p.put(q, value);
        }
        return p;
    }

    /** Each variant's fork scores so far, in round order (NaN for a failed fork). */
    private static Map<String, double[]> scores(Map<String, List<JsonNode>> forks) {
        Map<String, double[]> out = new LinkedHashMap<>();
        forks.forEach((v, list) -> out.put(v, list.stream().mapToDouble(r -> r == null ? Double.NaN
                : r.path("primaryMetric").path("score").asDouble(Double.NaN)).toArray()));
        return out;
    }

    private static Map<String, double[]> steal(Map<String, List<Double>> steals) {
        Map<String, double[]> out = new LinkedHashMap<>();
        steals.forEach((v, list) -> out.put(v, list.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    /** A fraction as a plain percentage without trailing zeros: 0.1 -> "10", 0.025 -> "2.5". */
    private static String pct(double fraction) {
        return java.math.BigDecimal.valueOf(fraction * 100).stripTrailingZeros().toPlainString();
    }

    private static double percent(String value) {
        try {
            double p = Double.parseDouble(value.trim().replace("%", ""));
            if (p > 0 && p < 100) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--precision needs a percentage between 0 and 100, got '" + value + "'");
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static int positive(String value, String option) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " needs positive whole numbers, got '" + value + "'");
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed needs a whole number, got '" + value + "'");
        }
    }
}
