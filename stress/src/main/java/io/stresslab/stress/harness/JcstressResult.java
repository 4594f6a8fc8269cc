package io.stresslab.stress.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one forked jcstress run reported, parsed from its console output ({@link JcstressRunner}): per test, its status
 * ({@code OK}, {@code FAILED}, {@code ERROR}) and the outcome rows of "Results across all configurations". The
 * helpers refuse to answer for a test that produced no results (a timed-out or broken run), so an after check can
 * never pass vacuously.
 *
 * @param tests       the test names that were requested ({@link #nameOf}: canonical class names)
 * @param statuses    test → jcstress's verdict word for it
 * @param rows        every outcome row of every test, in output order
 * @param mode        the jcstress mode ({@code sanity}, {@code quick}, …)
 * @param exitCode    the forked process's exit code (1 when a forbidden outcome was seen); -1 if it was killed
 * @param timedOut    true when the run exceeded its deadline and its process tree was killed
 * @param duration    wall time of the forked run
 * @param reportDir   where jcstress wrote its HTML report ({@code index.html})
 * @param outputFile  the captured console output
 * @param outputTail  the last lines of that output, for evidence
 */
public record JcstressResult(List<String> tests, Map<String, String> statuses, List<Row> rows, String mode,
                             int exitCode, boolean timedOut, Duration duration, Path reportDir, Path outputFile,
                             String outputTail) {

    /** How jcstress grades an outcome (the test's {@code @Outcome(expect = …)}). */
    public enum Expectation {
        ACCEPTABLE, ACCEPTABLE_INTERESTING, FORBIDDEN, UNKNOWN;

        /** Maps the EXPECT column's word ({@code Acceptable}, {@code Interesting}, {@code Forbidden}, …). */
        static Expectation fromLabel(String label) {
            return switch (label.toLowerCase(Locale.ROOT)) {
                case "acceptable" -> ACCEPTABLE;
                case "interesting" -> ACCEPTABLE_INTERESTING;
                case "forbidden" -> FORBIDDEN;
                default -> UNKNOWN;
            };
        }
    }

    /** One row of a test's "Results across all configurations" table. */
    public record Row(String test, String state, long samples, Expectation expectation, String description) {
        @Override
        public String toString() {
            return "[" + state + "] ×" + samples + " " + expectation + " (" + description + ")";
        }
    }

    public JcstressResult {
        tests = List.copyOf(tests);
        statuses = Map.copyOf(statuses);
        rows = List.copyOf(rows);
    }

    /**
     * jcstress's name for a test class: the canonical name ({@code Outer.Inner} for a nested test, as in jcstress's
     * samples), which is what its TestList, {@code -t} selector and output use.
     */
    public static String nameOf(Class<?> test) {
        return test.getCanonicalName();
    }

    /** The rows of one test; fails (with the output tail) if jcstress reported no results for it. */
    public List<Row> rows(Class<?> test) {
        String name = nameOf(test);
        List<Row> mine = rows.stream().filter(r -> r.test().equals(name)).toList();
        if (mine.isEmpty() || samples(mine) == 0) {
            throw new IllegalStateException("jcstress reported no results for " + name + " (" + status(test)
                    + (timedOut ? ", run timed out" : "") + ", exit " + exitCode + (statuses.containsKey(name) ? ""
                    : "; jcstress silently skips tests with more actors than CPUs") + "); output: " + outputFile
                    + "\n" + outputTail);
        }
        return mine;
    }

    /** jcstress's verdict word for the test ({@code OK}, {@code FAILED}, {@code ERROR}), or {@code MISSING}. */
    public String status(Class<?> test) {
        return statuses.getOrDefault(nameOf(test), "MISSING");
    }

    /** Total samples of the test across all configurations. */
    public long samples(Class<?> test) {
        return samples(rows(test));
    }

    /** Samples of outcomes graded {@code expectation}. */
    public long samples(Class<?> test, Expectation expectation) {
        return rows(test).stream().filter(r -> r.expectation() == expectation).mapToLong(Row::samples).sum();
    }

    public boolean sawForbidden(Class<?> test) {
        return samples(test, Expectation.FORBIDDEN) > 0;
    }

    public boolean sawInteresting(Class<?> test) {
        return samples(test, Expectation.ACCEPTABLE_INTERESTING) > 0;
    }

    /** One line, e.g. {@code Foo [FAILED, 475 samples]: [1] ×40 FORBIDDEN (lost update); [2] ×435 ACCEPTABLE (…)}. */
    public String describe(Class<?> test) {
        List<Row> mine = rows(test);
        return test.getSimpleName() + " [" + status(test) + ", " + samples(mine) + " samples, " + mode + "]: "
                + mine.stream().map(Row::toString).collect(Collectors.joining("; "));
    }

    /** The HTML index jcstress wrote, for the report to link. */
    public Path htmlIndex() {
        return reportDir.resolve("index.html");
    }

    private static long samples(List<Row> rows) {
        return rows.stream().mapToLong(Row::samples).sum();
    }
}
