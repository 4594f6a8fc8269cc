package io.stresslab.stress.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs jcstress 0.16 tests in a forked JVM ({@code java -cp <this JVM's class path> org.openjdk.jcstress.Main -t
 * <exact names> -m <mode> -r <dir> -v}) and parses its console output into a {@link JcstressResult}. jcstress must
 * be forked: it forks its own test VMs with the launcher's class path, and in-process runs either inherit a build
 * tool's class path or throw on a forbidden outcome.
 *
 * <p><b>One run for all.</b> Each run pays a fixed ~10 s (jcstress probes the OS and the VM by starting JVMs) before
 * its first test, so a run or a build forks jcstress once: {@link #plan} names the packages of the selected scenarios,
 * and the first {@link #runShared} call for a class in them runs every jcstress test of those packages (from the
 * class path's TestLists) in one fork; later calls — other checks, other scenarios — read their own tests from the
 * cached result. Results are cached per seed, so under {@code --repeat} each repetition gets one fresh fork.
 *
 * <p><b>Budget.</b> By default every test gets a time budget: one fork in one JVM configuration ({@code -f 1 -jvmArgs
 * … -sc false}), {@code -time} {@value #DEFAULT_TIME_MILLIS} ms per iteration over strides of 256 × 10 — about a
 * second per test and some 10<sup>5</sup> samples, against ~10<sup>2</sup> in jcstress's {@code sanity} preset with
 * its 28 VM/compilation configurations. (jcstress 0.16 runs that configuration with {@code -XX:+UseBiasedLocking} and
 * with {@code -XX:-UseBiasedLocking} wherever the VM accepts the flag, as JDK 17 does: two forks per test there.)
 * System property {@code stresslab.jcstress.time} (ms) changes the budget. Setting {@code stresslab.jcstress.mode}
 * ({@code sanity|quick|default|tough|stress}), or effort 3 and up ({@code quick}), runs jcstress's own preset instead,
 * with all its configurations. The deadline (kill the process tree, report a timed-out result) is
 * {@code stresslab.jcstress.deadline.seconds}, else 120 s + 60 s per class (budget or {@code sanity}) or 240 s per
 * class (other modes).
 *
 * <p><b>Finding tests.</b> jcstress reads exactly one {@code /META-INF/TestList} resource (the annotation processor
 * writes one per compiled source set), so tests compiled in {@code src/test} would hide those in {@code src/main}.
 * The runner merges every {@code META-INF/TestList} on the class path into one file placed first on the fork's class
 * path, and fails fast, naming the class, if a requested test is in none of them (processor not configured).
 *
 * <p><b>Output format parsed</b> (jcstress 0.16, {@code -v}): after the line {@code RUN RESULTS:}, each test prints
 * {@code ....... [OK] fully.qualified.Name} (or {@code [FAILED]}, {@code [ERROR]}), then under "Results across all
 * configurations:" a table {@code RESULT SAMPLES FREQ EXPECT DESCRIPTION} whose rows look like
 * {@code "       1       40    8.42%  Interesting  lost update"} — the state may contain spaces ({@code "1, 2"}),
 * EXPECT is one of {@code Acceptable}, {@code Interesting}, {@code Forbidden}. Without {@code -v} jcstress hides the
 * tables of tests that are neither interesting nor failed, hence {@code -v}.
 */
public final class JcstressRunner {
    public static final String MODE_PROPERTY = "stresslab.jcstress.mode";
    public static final String DEADLINE_PROPERTY = "stresslab.jcstress.deadline.seconds";
    public static final String TIME_PROPERTY = "stresslab.jcstress.time";
    /** The default budget: milliseconds per test iteration (measured with --repeat; see docs/speed.md). */
    public static final long DEFAULT_TIME_MILLIS = 20;
    private static volatile Set<String> plannedPackages = Set.of();

    private static final Pattern STATUS = Pattern.compile("^\\.*\\s*\\[([A-Z][A-Z ]*)]\\s+(\\S+)\\s*$");
    private static final Pattern ROW = Pattern.compile(
            "^\\s*(.+?)\\s+([\\d,.]+)\\s+[\\d,.]+%\\s+(Acceptable|Interesting|Forbidden|Unknown)(?:\\s+(.*))?$");
    private static final int TAIL_LINES = 40;
    private static final Map<Key, FutureTask<JcstressResult>> SHARED = new ConcurrentHashMap<>();
    private static final AtomicInteger RUNS = new AtomicInteger();

    private JcstressRunner() {
    }

    /**
     * One forked run: the test names ({@link JcstressResult#nameOf}), the jcstress mode, the deadline, a scratch folder
     * and any further jcstress arguments (e.g. {@code -time 200}).
     */
    public record Request(List<String> tests, String mode, Duration deadline, Path workDir, List<String> extraArgs) {
        public Request {
            if (tests.isEmpty()) {
                throw new IllegalArgumentException("no jcstress test classes given");
            }
            tests = tests.stream().distinct().sorted().toList();
            extraArgs = List.copyOf(extraArgs);
        }

        /** The request for {@code classes} under {@code settings}: mode and deadline as in the class comment. */
        public static Request of(RunSettings settings, Class<?>... classes) {
            return of(settings, Arrays.stream(classes).map(JcstressResult::nameOf).toList());
        }

        /** The request for the tests named {@code tests}: budget, mode and deadline as in the class comment. */
        public static Request of(RunSettings settings, List<String> tests) {
            String explicit = System.getProperty(MODE_PROPERTY);
            boolean preset = explicit != null || settings.effort() >= 3;
            String mode = explicit != null ? explicit : preset ? "quick" : "sanity";
            long perClass = mode.equals("sanity") ? 60 : 240;
            long seconds = Long.getLong(DEADLINE_PROPERTY, 120 + perClass * tests.size());
            return new Request(tests, mode, Duration.ofSeconds(seconds), settings.workDir().resolve("jcstress"),
                    preset ? List.of() : budgetArgs(Long.getLong(TIME_PROPERTY, DEFAULT_TIME_MILLIS)));
        }

        /**
         * This request with its time budget per test multiplied by {@code factor} (a rerun after a starved fork);
         * a preset mode has no budget to stretch and is returned as it is.
         */
        public Request stretched(int factor) {
            int t = extraArgs.indexOf("-time");
            if (t < 0 || factor == 1) {
                return this;
            }
            List<String> args = new ArrayList<>(extraArgs);
            args.set(t + 1, Long.toString(Math.multiplyExact(Long.parseLong(args.get(t + 1)), factor)));
            // a test takes about a second per unit of the default budget: the deadline grows by that
            return new Request(tests, mode, deadline.plusSeconds((long) tests.size() * (factor - 1)), workDir, args);
        }

        /** The mode as the records show it: jcstress's preset, or the time budget. */
        public String label() {
            int t = extraArgs.indexOf("-time");
            return t < 0 ? mode : "budget " + extraArgs.get(t + 1) + " ms/test";
        }
    }

    /**
     * jcstress arguments for a time budget of {@code millis} per test iteration: one fork, one JVM configuration, no
     * split compilation, strides of 256 × 10 (over {@code -m sanity}, which keeps one iteration and no warm-up).
     */
    static List<String> budgetArgs(long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException(TIME_PROPERTY + " must be at least 1 ms, was " + millis);
        }
        String jvmArgs = "-Xmx256m" + (Runtime.version().feature() >= 22 ? " --enable-native-access=ALL-UNNAMED" : "");
        return List.of("-f", "1", "-sc", "false", "-jvmArgs", jvmArgs, "-time", Long.toString(millis),
                "-strideSize", "256", "-strideCount", "10");
    }

    /** A cached run: its request and the seed of the run (one fork per repetition under --repeat). */
    private record Key(Request request, long seed) {
    }

    /**
     * Names the packages of the scenarios this JVM will run: the first jcstress check of a class in one of them runs
     * every jcstress test of these packages in one fork (see the class comment).
     */
    public static void plan(Collection<String> packages) {
        plannedPackages = Set.copyOf(packages);
    }

    /** The tests to run for {@code requested}: every planned test if all requested are in planned packages. */
    private static List<String> batchFor(List<String> requested) throws IOException {
        Set<String> planned = plannedPackages;
        if (planned.isEmpty() || !requested.stream().allMatch(t -> inPackages(t, planned))) {
            return requested;
        }
        Set<String> all = new LinkedHashSet<>(requested);
        for (String line : mergedTestList(requested)) {
            String name = testName(line);
            if (!name.isEmpty() && inPackages(name, planned) && !buildsSubject(name)) {
                all.add(name);
            }
        }
        return List.copyOf(all);
    }

    /** A test that builds its implementation from {@link SubjectProperty} runs per subject, never in a batch. */
    private static boolean buildsSubject(String test) {
        try {
            return Class.forName(test, false, JcstressRunner.class.getClassLoader())
                    .isAnnotationPresent(SubjectProperty.PerSubject.class);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean inPackages(String test, Set<String> packages) {
        return packages.stream().anyMatch(p -> test.startsWith(p + "."));
    }

    /**
     * Runs {@code classes} — with every other planned test, see {@link #plan} — once per JVM, budget and seed: later
     * calls get the same result.
     */
    public static JcstressResult runShared(RunSettings settings, Class<?>... classes) {
        Request request;
        try {
            request = Request.of(settings, batchFor(Arrays.stream(classes).map(JcstressResult::nameOf).toList()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the jcstress test lists: " + e.getMessage(), e);
        }
        return runShared(request, settings.seed());
    }

    /**
     * Runs the contract's jcstress {@code classes} against {@code subject}: the forked test VMs get the subject's
     * {@link Subject#remoteId()} as system property {@value SubjectProperty#NAME}, from which the tests' state builds
     * the implementation ({@link SubjectProperty#create}). One fork per subject (never batched with other tests),
     * memoized like {@link #runShared}.
     */
    public static JcstressResult runFor(RunSettings settings, Subject<?> subject, Class<?>... classes) {
        return runFor(settings, subject, 1, classes);
    }

    /** {@link #runFor} with the time budget per test multiplied by {@code stretch} ({@link Request#stretched}). */
    public static JcstressResult runFor(RunSettings settings, Subject<?> subject, int stretch, Class<?>... classes) {
        Request plain = Request.of(settings, classes).stretched(stretch);
        List<String> extra = new ArrayList<>(plain.extraArgs());
        extra.addAll(List.of("-jvmArgsPrepend", "-D" + SubjectProperty.NAME + "=" + subject.remoteId()));
        return runShared(new Request(plain.tests(), plain.mode(), plain.deadline(), plain.workDir(), extra),
                settings.seed());
    }

    private static JcstressResult runShared(Request request, long seed) {
        Key key = new Key(request, seed);
        FutureTask<JcstressResult> task = new FutureTask<>(() -> run(request));
        FutureTask<JcstressResult> existing = SHARED.putIfAbsent(key, task);
        if (existing == null) {
            task.run();
        }
        try {
            return (existing == null ? task : existing).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a shared jcstress run", e);
        } catch (ExecutionException e) {
            SHARED.remove(key, existing == null ? task : existing);
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    /** Forks one jcstress run and waits for it, at most until the request's deadline. */
    public static JcstressResult run(Request request) throws IOException, InterruptedException {
        Set<String> testList = mergedTestList(request.tests());
        Path runDir = request.workDir().resolve("run-" + ProcessHandle.current().pid() + "-"
                + RUNS.incrementAndGet() + "-" + shortName(request.tests().get(0)));
        Path testListDir = runDir.resolve("testlist");
        Path reportDir = runDir.resolve("report");
        Path output = runDir.resolve("output.txt");
        Files.createDirectories(testListDir.resolve("META-INF"));
        Files.write(testListDir.resolve("META-INF/TestList"), testList, StandardCharsets.UTF_8);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        boolean nativeAccessFlag = Runtime.version().feature() >= 22;
        if (nativeAccessFlag) {
            command.add("--enable-native-access=ALL-UNNAMED"); // JNA in jcstress; silences JDK 22+ warnings
        }
        command.addAll(List.of("-Xmx512m", "-Duser.language=en", "-Duser.country=US",
                "-cp", testListDir + java.io.File.pathSeparator + absoluteClassPath(),
                "org.openjdk.jcstress.Main", "-t", exactNames(request.tests()), "-m", request.mode(),
                "-r", reportDir.toString(), "-v"));
        List<String> prepend = new ArrayList<>();
        if (nativeAccessFlag && !request.extraArgs().contains("-jvmArgs")) {
            prepend.add("--enable-native-access=ALL-UNNAMED");
        }
        List<String> extra = request.extraArgs();
        for (int i = 0; i < extra.size(); i++) {
            if (extra.get(i).equals("-jvmArgsPrepend") && i + 1 < extra.size()) {
                prepend.add(extra.get(++i)); // jcstress takes one -jvmArgsPrepend: merge them
            } else {
                command.add(extra.get(i));
            }
        }
        if (!prepend.isEmpty()) {
            command.addAll(List.of("-jvmArgsPrepend", String.join(" ", prepend)));
        }

        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(runDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean finished = process.waitFor(request.deadline().toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            killTree(process);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        return parse(request, lines, finished ? process.exitValue() : -1, !finished, took, reportDir, output);
    }

    /** Parses jcstress's console output (see the class comment for the format). */
    static JcstressResult parse(Request request, List<String> lines, int exitCode, boolean timedOut,
                                Duration took, Path reportDir, Path output) {
        Map<String, String> statuses = new LinkedHashMap<>();
        List<JcstressResult.Row> rows = new ArrayList<>();
        int start = lines.indexOf("RUN RESULTS:");
        String current = null;
        for (int i = Math.max(0, start); start >= 0 && i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher s = STATUS.matcher(line);
            if (s.matches()) {
                current = s.group(2);
                statuses.put(current, s.group(1).trim());
                continue;
            }
            Matcher r = ROW.matcher(line);
            if (current != null && r.matches()) {
                rows.add(new JcstressResult.Row(current, r.group(1).trim(),
                        Long.parseLong(r.group(2).replaceAll("[^0-9]", "")),
                        JcstressResult.Expectation.fromLabel(r.group(3)), r.group(4) == null ? "" : r.group(4).trim()));
            }
        }
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        if (timedOut) {
            tail = "[stresslab] jcstress exceeded its " + request.deadline().toSeconds()
                    + " s deadline; its process tree was killed\n" + tail;
        }
        return new JcstressResult(request.tests(), statuses, rows, request.label(), exitCode, timedOut, took,
                reportDir, output, tail);
    }

    /** {@code ^(\Qa.B\E|\Qc.D\E)$}: exactly these classes, not every class whose name contains one of them. */
    private static String exactNames(List<String> tests) {
        return tests.stream().map(Pattern::quote).collect(Collectors.joining("|", "^(", ")$"));
    }

    /** Every TestList line on the class path; fails, naming them, if any {@code required} test is in none. */
    private static Set<String> mergedTestList(List<String> required) throws IOException {
        Set<String> lines = new LinkedHashSet<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Enumeration<URL> lists = (loader != null ? loader : JcstressRunner.class.getClassLoader())
                .getResources("META-INF/TestList");
        for (URL url : Collections.list(lists)) {
            try (InputStream in = url.openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())
                        .forEach(lines::add);
            }
        }
        Set<String> listed = lines.stream().map(JcstressRunner::testName).collect(Collectors.toSet());
        List<String> missing = required.stream().filter(t -> !listed.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not in any META-INF/TestList on the class path: " + missing
                    + " — is it annotated @JCStressTest and is jcstress-core in the compiler's "
                    + "annotationProcessorPaths?");
        }
        return lines;
    }

    /** The test name of a TestList line: {@code JCTEST<len>S<name>…} (jcstress's length-prefixed encoding). */
    private static String testName(String line) {
        if (!line.startsWith("JCTEST")) {
            return "";
        }
        int s = line.indexOf('S', 6);
        try {
            int len = Integer.parseInt(line.substring(6, s));
            return line.substring(s + 1, s + 1 + len);
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String shortName(String test) {
        return test.substring(test.lastIndexOf('.') + 1);
    }

    /** Parses captured output for {@code tests} (used by the parser's unit test). */
    static JcstressResult parse(List<String> tests, List<String> lines) {
        Request request = new Request(tests, "sanity", Duration.ZERO, Path.of("."), List.of());
        return parse(request, lines, 0, false, Duration.ZERO, Path.of("report"), Path.of("output.txt"));
    }

    /** This JVM's class path with every entry made absolute: the fork runs in its own folder. */
    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.isEmpty()).map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }
}
