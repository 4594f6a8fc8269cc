package io.stresslab.stress.history;

import io.stresslab.stress.history.LinearizabilityChecker.Result;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The checker's repeat-run timing harness (not a test of speed: it asserts nothing about time). Runs only when
 * {@code -Dstresslab.checker.timings=FILE} is given, and writes its numbers to FILE (committed as
 * stress/results/checker-timings.txt) and the generated histories to stress/target/checker-histories/ (for timing
 * {@code stresslab check} end to end). Each workload: 2 warm-up runs, then 5 timed runs; min / median / max wall
 * time.
 *
 * <pre>./mvnw -q -B -ntp -pl stress -am test -Dtest=CheckerTimings -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dstresslab.checker.timings=$PWD/stress/results/checker-timings.txt</pre>
 */
class CheckerTimings {
    private static final int WARMUP = 2;
    private static final int RUNS = 5;

    @Test
    @EnabledIfSystemProperty(named = "stresslab.checker.timings", matches = ".+")
    void time() throws IOException {
        Path out = Path.of(System.getProperty("stresslab.checker.timings"));
        Path dataDir = Path.of("target", "checker-histories");
        Files.createDirectories(dataDir);
        List<String> lines = new ArrayList<>();
        lines.add("# stresslab linearizability checker timings (CheckerTimings; " + WARMUP + " warm-up + " + RUNS
                + " timed runs each; wall time min / median / max, and the median CPU time of the whole JVM process,");
        lines.add("# all threads incl. GC and JIT: on a shared, loaded machine wall time includes waiting for a core)");
        lines.add("# date " + Instant.now() + "; Java " + System.getProperty("java.version") + "; "
                + Runtime.getRuntime().availableProcessors() + " processors; max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB; load average at start "
                + String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()));

        History many = new History(RegisterHistoryGenerator.generate(42, 2_000, 50, 0.02));
        Path manyFile = dataDir.resolve("register-100k-2000keys.jsonl");
        HistoryFiles.writeEvents(many, manyFile);
        for (int threads : new int[] {1, 2}) {
            lines.add(row("100k ops, 2,000 keys (4-8 threads/key, 2% info), in memory, " + threads + " thread(s)",
                    () -> checker(threads, 60).check(many)));
        }
        lines.add(row("100k ops, 2,000 keys, read from its JSON-lines file + checked, 2 threads",
                () -> checker(2, 60).check(HistoryFiles.read(manyFile))));

        History single = new History(RegisterHistoryGenerator.generate(7, 1, 10_000, 0.0, 5));
        HistoryFiles.writeEvents(single, dataDir.resolve("register-10k-1key-c5.jsonl"));
        lines.add(row("10k ops, 1 key, concurrency 5, no info ops, 2 threads", () -> checker(2, 60).check(single)));
        History singleInfo = new History(RegisterHistoryGenerator.generate(7, 1, 10_000, 0.001, 5));
        HistoryFiles.writeEvents(singleInfo, dataDir.resolve("register-10k-1key-c5-info.jsonl"));
        lines.add(row("10k ops, 1 key, concurrency 5, 0.1% info ops, 2 threads",
                () -> checker(2, 60).check(singleInfo)));

        List<Op> hard = CheckerSchedulingTest.hardHistory(true);
        HistoryFiles.writeEvents(new History(hard), dataDir.resolve("hard-6keys-plus-1-failing.jsonl"));
        HistoryFiles.writeEvents(new History(CheckerSchedulingTest.hardHistory(false)),
                dataDir.resolve("hard-6keys.jsonl"));
        for (int threads : new int[] {1, 2, 8}) {
            lines.add(row("hard: 6 expensive keys + 1 failing key, " + threads + " thread(s), budget 20 s",
                    () -> new LinearizabilityChecker<>(RegisterModel.casRegister(Value.NIL), threads,
                            Duration.ofSeconds(20)).check(new History(hard))));
        }
        lines.add(String.format(Locale.ROOT, "# load average at the end %.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        Files.write(out, lines);
        lines.forEach(System.out::println);
    }

    private static LinearizabilityChecker<Value> checker(int threads, int seconds) {
        return new LinearizabilityChecker<>(new RegisterModel("0"), threads, Duration.ofSeconds(seconds));
    }

    private static String row(String what, Supplier<Result> run) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Result last = null;
        for (int i = 0; i < WARMUP; i++) {
            last = run.get();
        }
        long[] ms = new long[RUNS];
        long[] cpu = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            last = run.get();
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
            cpu[i] = (os.getProcessCpuTime() - c0) / 1_000_000;
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        return String.format(Locale.ROOT, "%-84s %-16s %,7d ops  wall min %,6d / median %,6d / max %,6d ms;"
                + "  CPU median %,6d ms", what, last.verdict(), last.ops(), ms[0], ms[RUNS / 2], ms[RUNS - 1],
                cpu[RUNS / 2]);
    }
}
