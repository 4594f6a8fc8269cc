package io.stresslab.stress.cli;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.db.DbKind;
import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.CheckRunner;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.DatabaseTarget;
import io.stresslab.stress.harness.JcstressRunner;
import io.stresslab.stress.harness.RunSettings;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.TimeTable;
import io.stresslab.stress.harness.UserImplementations;
import io.stresslab.stress.scenarios.Scenarios;
import java.io.IOException;
import java.io.PrintStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stresslab run}: runs every check of the chosen scenarios on one database (embedded H2 files by default),
 * shows progress, prints a verdict table and writes one JSON record per check to {@code <out>/records/}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the stress campaign and prints a verdict table.")
final class RunCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", split = ",", paramLabel = "ID",
            description = "Scenarios to run, e.g. KAGENT-2,TAOS-2 (default: all; see 'stresslab list').")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--tool", split = ",", paramLabel = "TOOL",
            description = "Only checks of these kinds: jcstress, lincheck, liveness, threads, database, multi-worker "
                    + "(default: all).")
    List<String> tools = new ArrayList<>();

    @Option(names = "--db", paramLabel = "h2|postgresql", defaultValue = "h2",
            description = "Database engine (default: ${DEFAULT-VALUE}, embedded, files under --out).")
    String db;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "PostgreSQL JDBC URL, for --db postgresql.")
    String jdbcUrl;

    @Option(names = "--user", defaultValue = "postgres", description = "Database user (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--password", defaultValue = "${env:STRESSLAB_PG_PASSWORD:-}", arity = "0..1",
            interactive = false, description = "Database password (default: $STRESSLAB_PG_PASSWORD).")
    String password;

    @Option(names = "--out", defaultValue = "stresslab-out", paramLabel = "DIR",
            description = "Output folder: records/, work/, h2/ (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--effort", defaultValue = "1", paramLabel = "X",
            description = "Multiplies every check's operation count (default: ${DEFAULT-VALUE}).")
    double effort;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for randomized checks (default: random).")
    Long seed;

    @Option(names = "--workers", defaultValue = "3", paramLabel = "N",
            description = "Worker JVMs per multi-worker check (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long each multi-worker check runs, e.g. 30s, 2m, 500ms (default: each check's own).")
    Duration duration;

    @Option(names = "--ops", paramLabel = "N",
            description = "At most N operations per worker JVM in multi-worker checks (default: no limit).")
    Long ops;

    @Option(names = "--faults", defaultValue = "kill,terminate,transient", paramLabel = "LIST",
            description = "Faults for multi-worker checks, comma-separated: kill, terminate, transient, pause, "
                    + "net-freeze, net-latency, net-reset, net-cut-commit, clock-skew; all or none "
                    + "(default: ${DEFAULT-VALUE}). "
                    + "terminate and the net-* faults apply on PostgreSQL only; the schedule is drawn from --seed.")
    String faults;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Runs each check N times (a fresh database and a new seed each) and records its detection "
                    + "rate and time to detection (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--impl", paramLabel = "BUG=CLASS", mapFallbackValue = "",
            description = "Check your own implementation instead of ours, e.g. KAGENT-2=com.acme.MyRefresh "
                    + "(see README: the interface per bug). Runs that scenario's after-variant checks against it.")
    Map<String, String> impls = new LinkedHashMap<>();

    @Option(names = "--classpath", paramLabel = "PATH",
            description = "Extra jars/folders for --impl classes (':'-separated); worker JVMs get them too.")
    String classpath;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (classpath != null && !onClassPath(classpath)) {
            return relaunchWithClassPath();
        }
        PrintStream err = System.err;
        List<Scenario> selected;
        Map<String, List<CheckSpec>> userChecks = new LinkedHashMap<>();
        try {
            if (scenarios.isEmpty() && !impls.isEmpty()) {
                scenarios = new ArrayList<>(impls.keySet());
            }
            selected = Scenarios.select(scenarios);
            for (Map.Entry<String, String> e : impls.entrySet()) {
                Scenario s = Scenarios.select(List.of(e.getKey())).get(0);
                userChecks.put(s.bug(), Scenarios.userChecks(s, e.getValue().trim()));
            }
        } catch (IllegalArgumentException e) {
            err.println("stresslab: " + e.getMessage());
            return StresslabCli.EXIT_BAD_INPUT;
        }
        for (String t : tools) {
            if (java.util.Arrays.stream(io.stresslab.stress.harness.Tool.values()).noneMatch(x -> x.json().equals(t))) {
                err.println("stresslab: unknown --tool '" + t + "': expected jcstress, lincheck, liveness, threads, "
                        + "database or multi-worker");
                return StresslabCli.EXIT_BAD_INPUT;
            }
        }
        if (!(effort > 0) || effort > 1000) {
            err.println("stresslab: --effort must be a number in (0, 1000], was " + effort);
            return StresslabCli.EXIT_BAD_INPUT;
        }
        if (repeat < 1 || repeat > RunSettings.MAX_REPEAT) {
            err.println("stresslab: --repeat must be between 1 and " + RunSettings.MAX_REPEAT + ", was " + repeat);
            return StresslabCli.EXIT_BAD_INPUT;
        }
        RunSettings.Workers workerSettings;
        try {
            workerSettings = new RunSettings.Workers(workers, duration, ops, RunSettings.Fault.parse(faults));
        } catch (IllegalArgumentException e) {
            err.println("stresslab: " + e.getMessage());
            return StresslabCli.EXIT_BAD_INPUT;
        }
        String unwritable = unwritable(out);
        if (unwritable != null) {
            err.println("stresslab: cannot write to --out " + out + ": " + unwritable);
            return StresslabCli.EXIT_BAD_INPUT;
        }
        DatabaseTarget target;
        try {
            target = resolveTarget();
        } catch (RuntimeException e) {
            err.println("stresslab: " + StresslabCli.oneLine(e));
            return StresslabCli.EXIT_BAD_INPUT;
        }

        Path records = out.resolve("records");
        clearJson(records);
        long runStart = System.nanoTime();
        RunSettings settings = new RunSettings(effort, seed == null ? System.nanoTime() : seed, records,
                out.resolve("work"), workerSettings, repeat);
        CheckRunner runner = new CheckRunner(settings);

        List<CheckSpec> plan = new ArrayList<>();
        for (Scenario s : selected) {
            for (CheckSpec c : userChecks.getOrDefault(s.bug(), s.checks())) {
                if ((!c.needsDatabase() || c.databases().contains(target.kind()))
                        && (tools.isEmpty() || tools.contains(c.tool().json()))) {
                    plan.add(c);
                }
            }
        }
        // one jcstress fork for all the jcstress tests of the selected scenarios
        JcstressRunner.plan(selected.stream().map(sc -> sc.getClass().getPackageName()).distinct().toList());
        System.out.println("stresslab: " + plan.size() + " checks of " + selected.size() + " scenario(s) on "
                + target.describe() + ", seed " + settings.seed() + (repeat > 1 ? ", each run " + repeat + " times"
                : ""));
        Progress progress = new Progress(plan.size());
        List<CheckRecord> done = new ArrayList<>();
        Thread onInterrupt = new Thread(() -> {
            System.out.println();
            System.out.println("stresslab: interrupted after " + done.size() + " of " + plan.size()
                    + " checks; their records are in " + records.toAbsolutePath());
            VerdictTable.print(System.out, List.copyOf(done));
        }, "stresslab-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        for (CheckSpec c : plan) {
            progress.starting(c);
            CheckRecord r = runner.run(c, c.needsDatabase() ? target : null);
            synchronized (done) {
                done.add(r);
            }
            progress.finished(r);
        }
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
        progress.close();
        VerdictTable.print(System.out, done);
        System.out.println();
        long checksMillis = done.stream().mapToLong(CheckRecord::durationMillis).sum();
        long wallMillis = (System.nanoTime() - runStart) / 1_000_000;
        Map<String, Long> extra = new LinkedHashMap<>();
        extra.put("harness (databases, set-up)", Math.max(0, wallMillis - checksMillis));
        TimeTable.lines(done, extra).forEach(System.out::println);
        System.out.println("records: " + records.toAbsolutePath());
        return done.stream().allMatch(r -> r.verdict().passing()) ? StresslabCli.EXIT_OK
                : StresslabCli.EXIT_FAILED_CHECKS;
    }

    private static boolean onClassPath(String extra) {
        List<String> current = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        return Arrays.stream(extra.split(File.pathSeparator)).filter(p -> !p.isBlank())
                .allMatch(p -> current.contains(p) || current.contains(Path.of(p).toAbsolutePath().toString()));
    }

    /**
     * Runs this same command in a child JVM whose class path has the extra entries, so the user's classes load
     * normally and every worker JVM (which inherits java.class.path) sees them too.
     */
    private int relaunchWithClassPath() throws IOException, InterruptedException {
        for (String p : classpath.split(File.pathSeparator)) {
            if (!p.isBlank() && !Files.exists(Path.of(p))) {
                System.err.println("stresslab: --classpath entry " + p + " does not exist");
                return StresslabCli.EXIT_BAD_INPUT;
            }
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path") + File.pathSeparator + Arrays.stream(
                classpath.split(File.pathSeparator)).filter(p -> !p.isBlank())
                .map(p -> Path.of(p).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator)));
        cmd.add(StresslabCli.class.getName());
        cmd.addAll(spec.commandLine().getParseResult().originalArgs());
        Process child = new ProcessBuilder(cmd).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(child::destroy, "stresslab-child-stop"));
        return child.waitFor();
    }

    private DatabaseTarget resolveTarget() {
        DbKind kind = DbKind.fromId(db);
        if (kind == DbKind.H2) {
            if (jdbcUrl != null) {
                throw new IllegalArgumentException("--jdbc-url is for --db postgresql; H2 runs embedded under --out");
            }
            return DatabaseTarget.h2Files(out.resolve("h2"));
        }
        if (jdbcUrl == null) {
            throw new IllegalArgumentException("--db postgresql needs --jdbc-url jdbc:postgresql://host:port/db");
        }
        if (DbKind.fromJdbcUrl(jdbcUrl) != DbKind.POSTGRESQL) {
            throw new IllegalArgumentException("--jdbc-url must be a jdbc:postgresql:// URL for --db postgresql");
        }
        DatabaseTarget t = DatabaseTarget.postgres(jdbcUrl, user, password);
        // reach the server once before running anything, so a bad URL costs one line and no partial run
        Database.verifyReachable(DbConfig.of(jdbcUrl, user, password));
        return t;
    }

    /** Null when the run can write its folders under {@code dir}, else why not (checked before any check starts). */
    private static String unwritable(Path dir) {
        try {
            for (String sub : List.of("records", "work", "h2")) {
                Files.createDirectories(dir.resolve(sub));
            }
            Path probe = Files.createTempFile(dir.resolve("work"), "probe", ".tmp");
            Files.delete(probe);
            return null;
        } catch (IOException | SecurityException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such folder"
                    : e instanceof java.nio.file.FileAlreadyExistsException
                            || e instanceof java.nio.file.NotDirectoryException ? "not a folder"
                    : e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason()
                    : String.valueOf(e.getMessage());
            return e instanceof java.nio.file.FileSystemException fse && fse.getFile() != null
                    ? fse.getFile() + ": " + why : why;
        }
    }

    private static void clearJson(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted(Comparator.reverseOrder())
                    .toList()) {
                Files.delete(p);
            }
        }
    }
}
