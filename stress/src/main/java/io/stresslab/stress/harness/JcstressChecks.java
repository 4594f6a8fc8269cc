package io.stresslab.stress.harness;

/**
 * The one adapter from a jcstress result to an observation: the bug is observed exactly when a sample showed an
 * outcome the test declares {@code FORBIDDEN}. Metrics: {@code samples}, {@code forbidden}, {@code jcstressMillis};
 * evidence: {@code outcomes} (the test's outcome table) and {@code htmlReport}.
 */
public final class JcstressChecks {
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
        return forbidden(JcstressRunner.runFor(ctx.settings(), subject, test), test, samplesAre);
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
}
