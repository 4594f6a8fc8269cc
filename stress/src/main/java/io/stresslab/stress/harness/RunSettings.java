package io.stresslab.stress.harness;

import java.nio.file.Path;

/**
 * Settings shared by every check of one run: an effort multiplier for operation counts (1.0 = the amounts the README
 * states for the build), the seed, where records are written, and a scratch folder.
 */
public record RunSettings(double effort, long seed, Path resultsDir, Path workDir) {

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
        return new RunSettings(effort, seed, results, work);
    }
}
