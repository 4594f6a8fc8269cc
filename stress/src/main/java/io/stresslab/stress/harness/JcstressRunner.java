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
 * <p><b>Cost.</b> Each run pays a fixed ~5 s (VM probing) plus a few seconds per test class in {@code sanity} mode on 2
 * cores, so pass every class a scenario needs in one call: {@link #runShared} memoizes per set of classes and mode
 * within the JVM, and a scenario's before and after specs, asking for the same set, share one fork.
 *
 * <p><b>Mode.</b> System property {@code stresslab.jcstress.mode} ({@code sanity|quick|default|tough|stress}) wins;
 * otherwise {@code sanity} for effort below 3 and {@code quick} from 3 on. The deadline (kill the process tree, report
 * a timed-out result) is {@code stresslab.jcstress.deadline.seconds}, else 120 s + 60 s per class ({@code sanity}) or
 * 240 s per class (other modes).
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

    private static final Pattern STATUS = Pattern.compile("^\\.*\\s*\\[([A-Z][A-Z ]*)]\\s+(\\S+)\\s*$");
    private static final Pattern ROW = Pattern.compile(
            "^\\s*(.+?)\\s+([\\d,.]+)\\s+[\\d,.]+%\\s+(Acceptable|Interesting|Forbidden|Unknown)(?:\\s+(.*))?$");
    private static final int TAIL_LINES = 40;
    private static final Map<Request, FutureTask<JcstressResult>> SHARED = new ConcurrentHashMap<>();
    private static final AtomicInteger RUNS = new AtomicInteger();

    private JcstressRunner() {
    }

    /**
     * One forked run: the test names ({@link JcstressResult#nameOf}), the jcstress mode, the deadline, a scratch folder and any
     * further jcstress arguments (e.g. {@code -time 200}).
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
            String mode = System.getProperty(MODE_PROPERTY, settings.effort() >= 3 ? "quick" : "sanity");
            long perClass = mode.equals("sanity") ? 60 : 240;
            long seconds = Long.getLong(DEADLINE_PROPERTY, 120 + perClass * classes.length);
            return new Request(Arrays.stream(classes).map(JcstressResult::nameOf).toList(), mode, Duration.ofSeconds(seconds),
                    settings.workDir().resolve("jcstress"), List.of());
        }
    }

    /** Runs {@code classes} once per JVM and mode: later calls with the same set get the same result. */
    public static JcstressResult runShared(RunSettings settings, Class<?>... classes) {
        return runShared(Request.of(settings, classes));
    }

    /**
     * Runs the contract's jcstress {@code classes} against {@code subject}: the forked test VMs get the subject's
     * {@link Subject#remoteId()} as system property {@value SubjectProperty#NAME}, from which the tests' state builds
     * the implementation ({@link SubjectProperty#create}). One fork per subject, memoized like {@link #runShared}.
     */
    public static JcstressResult runFor(RunSettings settings, Subject<?> subject, Class<?>... classes) {
        Request plain = Request.of(settings, classes);
        return runShared(new Request(plain.tests(), plain.mode(), plain.deadline(), plain.workDir(),
                List.of("-jvmArgsPrepend", "-D" + SubjectProperty.NAME + "=" + subject.remoteId())));
    }

    private static JcstressResult runShared(Request request) {
        FutureTask<JcstressResult> task = new FutureTask<>(() -> run(request));
        FutureTask<JcstressResult> existing = SHARED.putIfAbsent(request, task);
        if (existing == null) {
            task.run();
        }
        try {
            return (existing == null ? task : existing).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a shared jcstress run", e);
        } catch (ExecutionException e) {
            SHARED.remove(request, existing == null ? task : existing);
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
                "-cp", testListDir + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                "org.openjdk.jcstress.Main", "-t", exactNames(request.tests()), "-m", request.mode(),
                "-r", reportDir.toString(), "-v"));
        List<String> prepend = new ArrayList<>();
        if (nativeAccessFlag) {
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
        return new JcstressResult(request.tests(), statuses, rows, request.mode(), exitCode, timedOut, took,
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
                    + " — is it annotated @JCStressTest and is jcstress-core in the compiler's annotationProcessorPaths?");
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
}
