package io.stresslab.stress.harness;

import java.time.Duration;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * Runs Lincheck 3.7 on a test class (public no-arg constructor, {@code @Operation} methods, state in fields) with
 * explicit sizes, and turns Lincheck's verdict into a {@link Result} instead of an escaping {@code AssertionError}.
 *
 * <p><b>Defaults for 2 cores</b> (Lincheck's own defaults ran for minutes here): model checking 2 threads × 2 actors,
 * 1 actor before and after, 10 iterations × 500 invocations — a buggy check-then-act is found in about a second with
 * the failing scenario and an interleaving trace (~4 s including Lincheck's start-up); a correct counter passes in
 * ~1 s. Stress mode, same scenario shape, 5 iterations × 500 invocations (~5 s; 10 × 2,000 took 33 s); it prints only
 * the results table, not a trace. {@link Config#scaled} multiplies iterations by the run's effort.
 *
 * <p><b>No minimization.</b> A failure is reported as found: the scenario Lincheck generated and the interleaving
 * that breaks it, every actor kept. Shrinking it reruns the search once per actor removed, and it cost about 2 to 5
 * times the detection (measured in one warm JVM, {@code stress/results/lincheck-minimization-2026-12-01}: MOLECULE-2's
 * 6-actor gate 0.4–0.8 s found, 0.8–1.5 s minimized; KAGENT-1's 16-actor queue with a dropped re-add 4.6 s found,
 * 25 s minimized, 67 s in a loaded CI run; stress mode took minutes). The verdict is the same either way; the time to
 * detection is what a run is judged by.
 *
 * <p>Lincheck instruments the code it runs: it cannot check code doing I/O (JDBC, sockets) — use a thread-based
 * check for that.
 */
public final class LincheckRunner {
    static {
        // Lincheck warns on stderr about record fields it cannot instrument ("Failed to get object field offset"):
        // harmless, and a normal run prints no third-party warnings. Its errors still show.
        if (System.getProperty("lincheck.logLevel") == null) {
            System.setProperty("lincheck.logLevel", "error");
        }
    }

    private LincheckRunner() {
    }

    public enum Strategy {
        MODEL_CHECKING, STRESS
    }

    /**
     * Scenario shape and budget; {@code iterations × invocationsPerIteration} bounds the invocations run.
     * {@code sequentialSpecification} is an independent model class with the same operations to check against, or
     * null to check against the test class itself run sequentially (Lincheck's default).
     */
    public record Config(Strategy strategy, int iterations, int invocationsPerIteration, int threads,
                         int actorsPerThread, int actorsBefore, int actorsAfter, boolean minimizeFailedScenario,
                         Class<?> sequentialSpecification) {
        public Config {
            if (iterations < 1 || invocationsPerIteration < 1 || threads < 1 || actorsPerThread < 1
                    || actorsBefore < 0 || actorsAfter < 0) {
                throw new IllegalArgumentException("invalid Lincheck config: " + this);
            }
        }

        public static Config modelChecking() {
            return new Config(Strategy.MODEL_CHECKING, 10, 500, 2, 2, 1, 1, false, null);
        }

        public static Config stress() {
            return new Config(Strategy.STRESS, 5, 500, 2, 2, 1, 1, false, null);
        }

        public Config iterations(int n) {
            return new Config(strategy, n, invocationsPerIteration, threads, actorsPerThread, actorsBefore,
                    actorsAfter, minimizeFailedScenario, sequentialSpecification);
        }

        public Config invocationsPerIteration(int n) {
            return new Config(strategy, iterations, n, threads, actorsPerThread, actorsBefore, actorsAfter,
                    minimizeFailedScenario, sequentialSpecification);
        }

        public Config threads(int n) {
            return new Config(strategy, iterations, invocationsPerIteration, n, actorsPerThread, actorsBefore,
                    actorsAfter, minimizeFailedScenario, sequentialSpecification);
        }

        public Config actorsPerThread(int n) {
            return new Config(strategy, iterations, invocationsPerIteration, threads, n, actorsBefore, actorsAfter,
                    minimizeFailedScenario, sequentialSpecification);
        }

        /** Actors run before and after the parallel part of each scenario. */
        public Config actorsAround(int before, int after) {
            return new Config(strategy, iterations, invocationsPerIteration, threads, actorsPerThread, before, after,
                    minimizeFailedScenario, sequentialSpecification);
        }

        public Config sequentialSpecification(Class<?> model) {
            return new Config(strategy, iterations, invocationsPerIteration, threads, actorsPerThread, actorsBefore,
                    actorsAfter, minimizeFailedScenario, model);
        }

        /** Iterations multiplied by the run's effort (at least 1). */
        public Config scaled(RunSettings settings) {
            return iterations(Math.max(1, (int) Math.round(iterations * settings.effort())));
        }

        public long invocationBound() {
            return (long) iterations * invocationsPerIteration;
        }

        /** One line for summaries, e.g. {@code model-checking 10×500, 2 threads × 2 actors}. */
        public String describe() {
            return (strategy == Strategy.MODEL_CHECKING ? "model-checking " : "stress ") + iterations + "×"
                    + invocationsPerIteration + ", " + threads + " threads × " + actorsPerThread + " actors";
        }
    }

    /**
     * @param failed          Lincheck found a non-linearizable execution (or a hang, or an unexpected exception)
     * @param report          Lincheck's failure report (minimal scenario, results, and for model checking the
     *                        interleaving trace); empty when it passed
     * @param invocationBound at most this many invocations ran (all of them when it passed; Lincheck stops at the
     *                        first failure)
     */
    public record Result(Class<?> testClass, Config config, boolean failed, String report, Duration duration,
                         long invocationBound) {
        /** One line for a check's summary. */
        public String describe() {
            return testClass.getSimpleName() + " " + (failed ? "FAILED" : "passed") + " under " + config.describe()
                    + " in " + duration.toMillis() + " ms";
        }
    }

    /**
     * Checks a contract's Lincheck {@code testClass} against {@code subject}: the test's state builds the subject
     * ({@link SubjectProperty#create}) while it is installed for this run.
     */
    public static Result checkFor(Subject<?> subject, Class<?> testClass, Config config) {
        try (SubjectProperty.Installed installed = SubjectProperty.install(subject)) {
            return check(testClass, config);
        }
    }

    /** Runs Lincheck on {@code testClass}. Lincheck's {@code AssertionError} becomes a failed result. */
    public static Result check(Class<?> testClass, Config config) {
        Options<?, ?> options = config.strategy() == Strategy.MODEL_CHECKING ? new ModelCheckingOptions()
                : new StressOptions();
        options.iterations(config.iterations())
                .invocationsPerIteration(config.invocationsPerIteration())
                .threads(config.threads())
                .actorsPerThread(config.actorsPerThread())
                .actorsBefore(config.actorsBefore())
                .actorsAfter(config.actorsAfter())
                .minimizeFailedScenario(config.minimizeFailedScenario());
        if (config.sequentialSpecification() != null) {
            options.sequentialSpecification(config.sequentialSpecification());
        }
        long t0 = System.nanoTime();
        try {
            options.check(testClass);
            return new Result(testClass, config, false, "", Duration.ofNanos(System.nanoTime() - t0),
                    config.invocationBound());
        } catch (AssertionError e) { // LincheckAssertionError: the failure report is its message
            return new Result(testClass, config, true, String.valueOf(e.getMessage()).strip(),
                    Duration.ofNanos(System.nanoTime() - t0), config.invocationBound());
        }
    }

    /**
     * The one adapter from a Lincheck result to an observation: the bug is observed when Lincheck found a
     * non-linearizable execution; {@code what} names one (e.g. "heartbeat interleaving"), {@code against} the
     * specification. Metric {@code lincheckMillis}; evidence {@code lincheck} (the minimal scenario and interleaving).
     */
    public static Observation observe(Result r, String what, String against) {
        Observation o = r.failed()
                ? Observation.bugObserved("Lincheck " + r.config().describe() + " found a non-linearizable " + what
                        + " in " + r.duration().toMillis() + " ms: " + firstResultsRow(r.report())
                        + " (minimal scenario and interleaving in evidence)")
                : Observation.bugAbsent("linearizable against " + against + " over up to " + r.invocationBound()
                        + " interleavings (" + r.config().describe() + ")");
        o.operations(r.invocationBound()).metric("lincheckMillis", r.duration().toMillis());
        return r.failed() ? o.evidence("lincheck", r.report()) : o;
    }

    /** The first row of Lincheck's "Invalid execution results" table, e.g. {@code execute(1): 2 | execute(1): 1}. */
    static String firstResultsRow(String report) {
        return report.lines().filter(l -> l.startsWith("|") && l.contains("): ")).findFirst()
                .map(l -> l.replaceAll("^\\|\\s*|\\s*\\|$", "").replaceAll("\\s*\\|\\s*", " || "))
                .orElse(report.lines().findFirst().orElse(""));
    }
}
