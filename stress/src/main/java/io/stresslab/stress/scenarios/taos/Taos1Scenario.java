package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.taos.GetThenSetIdempotencyCache;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.ReservingIdempotencyCache;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.JcstressResult;
import io.stresslab.stress.harness.JcstressResult.Expectation;
import io.stresslab.stress.harness.JcstressRunner;
import io.stresslab.stress.harness.LincheckRunner;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.UserImplementations;
import io.stresslab.stress.harness.Tool;
import java.time.Clock;
import java.util.List;

/**
 * TAOS-1 (seed 004, taOS issue #452): the idempotency cache's get and set each lock on their own with the handler in
 * between, so a retry arriving mid-execution creates a second agent. In-memory checks of the get-then-set cache
 * (before) and the reserving cache (after): jcstress with 2 callers on one key, Lincheck model checking against
 * the sequential "first execute runs, the rest replay" specification, and real threads over many keys. The database
 * checks — the add-agent service's duplicate row on H2 and PostgreSQL — come from {@link Taos1DatabaseChecks}.
 */
public final class Taos1Scenario implements Scenario, UserImplementations.Accepting {
    static final String BEFORE = "get-then-set";
    static final String AFTER = "atomic-reservation";
    /** Every jcstress test of this scenario, run in one shared fork. */
    private static final Class<?>[] JCSTRESS_TESTS = {Taos1Jcstress.GetThenSetTwoCallers.class,
            Taos1Jcstress.ReservingTwoCallers.class, Taos1Jcstress.ReservingReplayWhileCompleting.class};
    /** 10 × 200: the reserving cache (locks, futures) costs ~1 ms per interleaving; before fails in ~4 s. */
    private static final LincheckRunner.Config LINCHECK = LincheckRunner.Config.modelChecking()
            .invocationsPerIteration(200);

    @Override
    public String bug() {
        return "TAOS-1";
    }


    private List<CheckSpec> inMemoryChecks() {
        return List.of(
                jcstress(BEFORE, Expect.REPRODUCE, "two-callers-one-key", Taos1Jcstress.GetThenSetTwoCallers.class),
                jcstress(AFTER, Expect.HOLD, "two-callers-one-key", Taos1Jcstress.ReservingTwoCallers.class),
                jcstress(AFTER, Expect.HOLD, "replay-while-completing",
                        Taos1Jcstress.ReservingReplayWhileCompleting.class),
                CheckSpec.inMemory(bug(), BEFORE, Expect.REPRODUCE, Tool.LINCHECK, "model-checking",
                        ctx -> lincheck(ctx, Taos1Lincheck.GetThenSet.class)),
                CheckSpec.inMemory(bug(), AFTER, Expect.HOLD, Tool.LINCHECK, "model-checking",
                        ctx -> lincheck(ctx, Taos1Lincheck.Reserving.class)),
                CheckSpec.inMemory(bug(), BEFORE, Expect.REPRODUCE, Tool.THREADS, "concurrent-retries",
                        ctx -> ConcurrentRetries.run(ctx, new GetThenSetIdempotencyCache())),
                CheckSpec.inMemory(bug(), AFTER, Expect.HOLD, Tool.THREADS, "concurrent-retries",
                        ctx -> ConcurrentRetries.run(ctx, new ReservingIdempotencyCache(Clock.systemUTC()))));
    }

    @Override
    public List<CheckSpec> checks() {
        List<CheckSpec> all = new java.util.ArrayList<>(inMemoryChecks());
        all.addAll(Taos1DatabaseChecks.checks(GetThenSetIdempotencyCache::new,
                () -> new ReservingIdempotencyCache(Clock.systemUTC())));
        return all;
    }

    @Override
    public Class<?> userInterface() {
        return IdempotencyStore.class;
    }

    @Override
    public String constructors() {
        return "(Clock) or ()";
    }

    /** A user's {@link IdempotencyStore} faces the after variant's real-thread check: 500 keys × 4 callers. */
    @Override
    public List<CheckSpec> checksFor(String className) {
        UserImplementations.load(className, IdempotencyStore.class);
        return List.of(CheckSpec.inMemory(bug(), UserImplementations.PREFIX + className, Expect.HOLD, Tool.THREADS,
                "concurrent-retries", ctx -> ConcurrentRetries.run(ctx, UserImplementations.instantiate(className,
                        IdempotencyStore.class, Clock.systemUTC()))));
    }

    private CheckSpec jcstress(String variant, Expect expect, String check, Class<?> test) {
        return CheckSpec.inMemory(bug(), variant, expect, Tool.JCSTRESS, check, ctx -> jcstress(ctx, test));
    }

    /** The bug is any sample where the handler ran more than once (interesting before, forbidden after). */
    private static Observation jcstress(CheckContext ctx, Class<?> test) {
        JcstressResult r = JcstressRunner.runShared(ctx.settings(), JCSTRESS_TESTS);
        long samples = r.samples(test);
        long twoOwners = r.samples(test, Expectation.ACCEPTABLE_INTERESTING) + r.samples(test, Expectation.FORBIDDEN);
        String amount = samples + " samples (jcstress " + r.mode() + ")";
        Observation o = twoOwners > 0
                ? Observation.bugObserved("the handler ran more than once for one key in " + twoOwners + " of "
                        + amount + ": two owners, different responses")
                : Observation.bugAbsent("one handler run and identical responses in all " + amount
                        + "; two owners never observed");
        return o.operations(samples)
                .metric("samples", samples)
                .metric("twoOwnerSamples", twoOwners)
                .metric("jcstressForkMillis", r.duration().toMillis())
                .evidence("outcomes", r.describe(test))
                .evidence("htmlReport", r.htmlIndex().toString());
    }

    private static Observation lincheck(CheckContext ctx, Class<?> test) {
        LincheckRunner.Result r = LincheckRunner.check(test, LINCHECK.scaled(ctx.settings()));
        Observation o = r.failed()
                ? Observation.bugObserved("Lincheck " + r.config().describe() + " found a non-linearizable execution"
                        + " in " + r.duration().toMillis() + " ms: " + firstResultsRow(r.report())
                        + " (minimal scenario and interleaving in evidence)")
                : Observation.bugAbsent("linearizable against \"first execute per key runs, later ones replay\" over"
                        + " up to " + r.invocationBound() + " interleavings (" + r.config().describe() + ")");
        o.operations(r.invocationBound()).metric("lincheckMillis", r.duration().toMillis());
        return r.failed() ? o.evidence("lincheck", r.report()) : o;
    }

    /** The first row of Lincheck's "Invalid execution results" table, e.g. {@code execute(1): 2 | execute(1): 1}. */
    private static String firstResultsRow(String report) {
        return report.lines().filter(l -> l.startsWith("|") && l.contains("): ")).findFirst()
                .map(l -> l.replaceAll("^\\|\\s*|\\s*\\|$", "").replaceAll("\\s*\\|\\s*", " || "))
                .orElse(report.lines().findFirst().orElse(""));
    }
}
