package io.stresslab.stress.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The one adapter from a jcstress result to an observation: the bug is observed exactly when a sample showed an
 * outcome the test declares {@code FORBIDDEN}. Metrics: {@code samples}, {@code forbidden}, {@code jcstressMillis},
 * {@code jcstressReruns}; evidence: {@code outcomes} (the test's outcome table) and {@code htmlReport}.
 *
 * <p><b>A floor on samples.</b> A fork starved of CPU (another JVM on the same cores) can finish its time budget with
 * a handful of samples; "no forbidden outcome in 12 samples" is no evidence either way. Under a time budget, fewer
 * than {@link #minSamples()} samples with no forbidden outcome reruns the test with its budget ×{@value #STRETCH},
 * at most {@value #RERUNS} times; still too few is an error (the verdict {@code error}, never a pass or a miss). The
 * same rule holds for every implementation: it looks at the sample count only, never at the expected verdict.
 */
public final class JcstressChecks {
    /** System property: the sample floor (default {@value #DEFAULT_MIN_SAMPLES}). */
    public static final String MIN_SAMPLES_PROPERTY = "stresslab.jcstress.minSamples";
    /**
     * Most forks at the default budget gave our tests 6,000 to 300,000 samples here; the starved ones gave 12, 537 and
     * 600 ({@code stress/results/ci-ab-2026-12-01}, {@code jcstress-budget-2026-11-30/time-20}). MOLECULE-2's
     * reproduction sees its forbidden outcome about once in 3,000 samples.
     */
    public static final long DEFAULT_MIN_SAMPLES = 2_000;
    static final int STRETCH = 5;
    static final int RERUNS = 2;

    private JcstressChecks() {
    }

    /**
     * Runs the contract's jcstress {@code test} against {@code subject} (built in the forked VMs from its class) and
     * judges it. {@code samplesAre} names one sample, e.g. "pairs of concurrent first heartbeats".
     */
    public static Observation forbidden(CheckContext ctx, Subject<?> subject, Class<?> test, String samplesAre) {
        if (subject.className() == null) {
            return Observation.notApplicable("jcstress builds the implementation in its own VMs through a public "
                    + "constructor; " + subject.variant() + " is not a class with one");
        }
        return forbidden(stretch -> JcstressRunner.runFor(ctx.settings(), subject, stretch, test), test,
                samplesAre);
    }

    /**
     * Runs {@code test} through {@code run} (its argument: the factor on the time budget, 1 first) and judges it,
     * rerunning a starved fork as in the class comment.
     */
    static Observation forbidden(IntFunction<JcstressResult> run, Class<?> test, String samplesAre) {
        List<String> starved = new ArrayList<>();
        int stretch = 1;
        JcstressResult r = run.apply(stretch);
        while (starved(r, test)) {
            starved.add(r.samples(test) + " samples in " + r.mode());
            if (starved.size() > RERUNS) {
                throw new IllegalStateException("inconclusive: jcstress forks were starved of CPU, fewer than "
                        + minSamples() + " samples and no forbidden outcome in each of " + starved.size()
                        + " runs (" + String.join(", ", starved) + ")");
            }
            stretch *= STRETCH;
            r = run.apply(stretch);
        }
        Observation o = forbidden(r, test, samplesAre).metric("jcstressReruns", starved.size());
        return starved.isEmpty() ? o
                : o.summary(o.summary() + "; rerun with a longer budget after a starved fork ("
                        + String.join(", ", starved) + ")");
    }

    /** Judges {@code test}'s rows of an existing run. */
    public static Observation forbidden(JcstressResult r, Class<?> test, String samplesAre) {
        long samples = r.samples(test);
        long forbidden = r.samples(test, JcstressResult.Expectation.FORBIDDEN);
        String amount = samples + " " + samplesAre + " (jcstress " + r.mode() + ")";
        Observation o = forbidden > 0
                ? Observation.bugObserved("a forbidden outcome in " + forbidden + " of " + amount + ": "
                        + r.describe(test))
                : Observation.bugAbsent("no forbidden outcome in " + amount);
        return o.operations(samples)
                .metric("samples", samples)
                .metric("forbidden", forbidden)
                .metric("jcstressMillis", r.duration().toMillis())
                .evidence("outcomes", r.describe(test))
                .evidence("htmlReport", r.htmlIndex().toString());
    }

    /** A run under a time budget that gave too few samples to judge, and no forbidden one. */
    static boolean starved(JcstressResult r, Class<?> test) {
        return r.mode().startsWith("budget") && r.samples(test, JcstressResult.Expectation.FORBIDDEN) == 0
                && r.samples(test) < minSamples();
    }

    static long minSamples() {
        return Long.getLong(MIN_SAMPLES_PROPERTY, DEFAULT_MIN_SAMPLES);
    }
}
