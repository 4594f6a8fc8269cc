package io.stresslab.stress.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Settings shared by every check of one run: an effort multiplier for operation counts (1.0 = the amounts the README
 * states for the build), the seed, where records are written, a scratch folder, and how multi-worker checks run
 * their worker JVMs.
 */
public record RunSettings(double effort, long seed, Path resultsDir, Path workDir, Workers workers) {

    /** Faults a multi-worker check may inject. */
    public enum Fault {
        /** kill -9 of one worker JVM mid-run. */
        KILL,
        /** pg_terminate_backend of one worker's sessions (PostgreSQL only). */
        TERMINATE,
        /** artificial 40001/40P01 failures at 5 % of commits. */
        TRANSIENT;

        public static Set<Fault> parse(String csv) {
            Set<Fault> out = EnumSet.noneOf(Fault.class);
            if (csv == null || csv.isBlank() || csv.trim().equalsIgnoreCase("none")) {
                return out;
            }
            for (String f : csv.split(",")) {
                try {
                    out.add(valueOf(f.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown fault '" + f.trim()
                            + "': expected kill, terminate, transient or none");
                }
            }
            return out;
        }
    }

    /**
     * How multi-worker checks run: {@code count} worker JVMs, for {@code duration} each (null: the check's own), or
     * at most {@code opsPerWorker} operations each (null: unbounded within the duration), with these faults.
     */
    public record Workers(int count, Duration duration, Long opsPerWorker, Set<Fault> faults) {
        public static final Workers DEFAULT = new Workers(3, null, null, EnumSet.allOf(Fault.class));

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
    }

    /** The settings the build's tests use, from system properties set by the stress module's pom. */
    public static RunSettings fromSystemProperties() {
        double effort = Double.parseDouble(System.getProperty("stresslab.effort", "1"));
        long seed = Long.getLong("stresslab.seed", System.nanoTime());
        Path results = Path.of(System.getProperty("stresslab.results.dir", "target/stresslab-results"));
        Path work = Path.of(System.getProperty("stresslab.work.dir", "target/stresslab-work"));
        return new RunSettings(effort, seed, results, work, Workers.DEFAULT);
    }
}
