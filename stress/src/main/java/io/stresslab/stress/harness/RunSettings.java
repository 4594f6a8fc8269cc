package io.stresslab.stress.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings shared by every check of one run: an effort multiplier for operation counts (1.0 = the amounts the README
 * states for the build), the seed, where records are written, a scratch folder, and how multi-worker checks run
 * their worker JVMs.
 */
public record RunSettings(double effort, long seed, Path resultsDir, Path workDir, Workers workers, int repeat) {
    /** The largest {@code --repeat}. */
    public static final int MAX_REPEAT = 1000;

    /** Faults a multi-worker check may inject. */
    public enum Fault {
        /** kill -9 of one worker JVM mid-run. */
        KILL("kill"),
        /** pg_terminate_backend of one worker's sessions (PostgreSQL only). */
        TERMINATE("terminate"),
        /** artificial 40001/40P01 failures at 5 % of commits. */
        TRANSIENT("transient"),
        /** SIGSTOP of one worker JVM for longer than a lease, then SIGCONT. */
        PAUSE("pause"),
        /** one worker's database connections frozen mid-run, bytes held (PostgreSQL only). */
        NET_FREEZE("net-freeze"),
        /**
         * one worker's database connections slowed for a while: every byte waits a latency each way (PostgreSQL only).
         */
        NET_LATENCY("net-latency"),
        /** one worker's database connections reset mid-statement (PostgreSQL only). */
        NET_RESET("net-reset"),
        /** the reply to one of a worker's committed writes cut: applied, never told (PostgreSQL only). */
        NET_CUT_COMMIT("net-cut-commit"),
        /** one worker's application clock runs ahead of the others'. */
        CLOCK_SKEW("clock-skew");

        /** What a run injects unless told otherwise. */
        public static final Set<Fault> CLASSIC = EnumSet.of(KILL, TERMINATE, TRANSIENT);

        private final String label;

        Fault(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Whether the fault needs the worker's connections to go through a proxy or the server to be PostgreSQL. */
        public boolean postgresOnly() {
            return this == TERMINATE || this == NET_FREEZE || this == NET_LATENCY || this == NET_RESET
                    || this == NET_CUT_COMMIT;
        }

        /** A comma-separated list of labels, {@code none} or {@code all}. */
        public static Set<Fault> parse(String csv) {
            Set<Fault> out = EnumSet.noneOf(Fault.class);
            if (csv == null || csv.isBlank() || csv.trim().equalsIgnoreCase("none")) {
                return out;
            }
            if (csv.trim().equalsIgnoreCase("all")) {
                return EnumSet.allOf(Fault.class);
            }
            for (String f : csv.split(",")) {
                out.add(Arrays.stream(values()).filter(v -> v.label.equalsIgnoreCase(f.trim())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + f.trim()
                                + "': expected " + Arrays.stream(values()).map(Fault::label)
                                .collect(Collectors.joining(", ")) + ", all or none")));
            }
            return out;
        }
    }

    /**
     * How multi-worker checks run: {@code count} worker JVMs, for {@code duration} each (null: the check's own), or
     * at most {@code opsPerWorker} operations each (null: unbounded within the duration), with these faults.
     */
    public record Workers(int count, Duration duration, Long opsPerWorker, Set<Fault> faults) {
        public static final Workers DEFAULT = new Workers(3, null, null, Fault.CLASSIC);

        public Workers {
            if (count < 1 || count > 64) {
                throw new IllegalArgumentException("workers must be between 1 and 64, was " + count);
            }
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("duration must be positive");
            }
            if (opsPerWorker != null && opsPerWorker < 1) {
                throw new IllegalArgumentException("ops must be at least 1");
            }
            faults = faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
        }

        public boolean has(Fault f) {
            return faults.contains(f);
        }
    }

    public RunSettings {
        if (!(effort > 0)) {
            throw new IllegalArgumentException("effort must be positive");
        }
        if (repeat < 1 || repeat > MAX_REPEAT) {
            throw new IllegalArgumentException("repeat must be between 1 and " + MAX_REPEAT + ", was " + repeat);
        }
    }

    /** Settings that run each check once. */
    public RunSettings(double effort, long seed, Path resultsDir, Path workDir, Workers workers) {
        this(effort, seed, resultsDir, workDir, workers, 1);
    }

    /**
     * The settings of repetition {@code run} (0-based) of a check under {@code --repeat}: the same but for the seed,
     * which run 0 keeps and later runs derive from it (a SplitMix64 step per run, so every run of every check in one
     * repetition shares one seed and runs differ).
     */
    public RunSettings forRepetition(int run) {
        if (run == 0) {
            return this;
        }
        long z = seed + run * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new RunSettings(effort, z ^ (z >>> 31), resultsDir, workDir, workers, repeat);
    }

    /**
     * The settings the build's tests use, from system properties set by the stress module's pom; {@code
     * -Dstresslab.repeat=N} runs each check N times.
     */
    public static RunSettings fromSystemProperties() {
        double effort = Double.parseDouble(System.getProperty("stresslab.effort", "1"));
        long seed = Long.getLong("stresslab.seed", System.nanoTime());
        Path results = Path.of(System.getProperty("stresslab.results.dir", "target/stresslab-results"));
        Path work = Path.of(System.getProperty("stresslab.work.dir", "target/stresslab-work"));
        int repeat = Integer.getInteger("stresslab.repeat", 1);
        return new RunSettings(effort, seed, results, work, Workers.DEFAULT, repeat);
    }
}
