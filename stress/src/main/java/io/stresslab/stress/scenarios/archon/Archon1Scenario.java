package io.stresslab.stress.scenarios.archon;

import io.stresslab.core.archon.AsyncLockLifespan;
import io.stresslab.core.archon.BlockingLockLifespan;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.JcstressResult;
import io.stresslab.stress.harness.JcstressRunner;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Tool;
import java.util.List;

/**
 * ARCHON-1 (seed 002, Archon PR #909): a blocking lock taken on the event-loop thread and held across the awaited
 * health check and the session freezes the MCP server once two sessions overlap the initialization. Checks: the
 * 20-session liveness workload on both lifespans ({@link ConcurrentSessions}), and jcstress on the context's
 * publication.
 */
public final class Archon1Scenario implements Scenario {
    static final String BEFORE = "blocking-lock-on-loop";
    static final String AFTER = "async-lock-outside-yield";
    private static final String SESSIONS_CHECK = "twenty-sessions-during-slow-init";

    @Override
    public String bug() {
        return "ARCHON-1";
    }


    @Override
    public List<CheckSpec> checks() {
        return List.of(
                CheckSpec.inMemory(bug(), BEFORE, Expect.REPRODUCE, Tool.LIVENESS, SESSIONS_CHECK,
                        ctx -> ConcurrentSessions.run(BlockingLockLifespan::new)),
                CheckSpec.inMemory(bug(), AFTER, Expect.HOLD, Tool.LIVENESS, SESSIONS_CHECK,
                        ctx -> ConcurrentSessions.run(AsyncLockLifespan::new)),
                CheckSpec.inMemory(bug(), AFTER, Expect.HOLD, Tool.JCSTRESS, "context-publication",
                        Archon1Scenario::publication));
    }

    /**
     * The after slot must never show initialized-without-context. The plain before-style slot runs in the same fork
     * for contrast; its "interesting" count is recorded, never asserted (x86 rarely if ever reorders it).
     */
    private static Observation publication(CheckContext ctx) {
        JcstressResult r = JcstressRunner.runShared(ctx.settings(), VolatileContextPublication.class,
                PlainContextPublication.class);
        long samples = r.samples(VolatileContextPublication.class);
        long forbidden = r.samples(VolatileContextPublication.class, JcstressResult.Expectation.FORBIDDEN);
        long plainInteresting = r.samples(PlainContextPublication.class,
                JcstressResult.Expectation.ACCEPTABLE_INTERESTING);
        long plainSamples = r.samples(PlainContextPublication.class);
        String contrast = "plain fields showed it " + plainInteresting + " times in " + plainSamples + " samples";
        Observation o = forbidden > 0
                ? Observation.bugObserved("volatile publication: initialized seen with no context " + forbidden
                        + " times in " + samples + " samples (" + r.mode() + ")")
                : Observation.bugAbsent("volatile publication: initialized-without-context never seen in " + samples
                        + " samples (" + r.mode() + "); " + contrast);
        return o.operations(samples)
                .metric("samples", samples)
                .metric("forbidden", forbidden)
                .metric("plainSamples", plainSamples)
                .metric("plainInteresting", plainInteresting)
                .metric("jcstressMillis", r.duration().toMillis())
                .evidence("after", r.describe(VolatileContextPublication.class))
                .evidence("plainBeforeStyle", r.describe(PlainContextPublication.class))
                .evidence("htmlReport", r.htmlIndex().toString());
    }
}
