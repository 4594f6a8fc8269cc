package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.kagent.KagentReconciler;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * KAGENT-1's {@code hung-remote-server}, the same for every reconciler: the remote server accepts {@code tools/list}
 * and never answers. Once the call has reached it, N agents are created; all must be stored within 5 s, and a
 * deleted one removed; the hung server reconcile must end (fail) within 5 s of its call. A hang is a finding whatever
 * the thread dump shows; the dump is evidence. Stops at the first finding.
 */
final class HungRemote {
    static final Duration BOUND = Duration.ofSeconds(5);

    private HungRemote() {
    }

    record Seen(int agents, int stored, Watchdog.Outcome<Void> allStored, Watchdog.Outcome<Void> deleted,
                Watchdog.Outcome<Void> callEnded) {
    }

    /** The one place this check waits: every wait goes through the harness watchdog with a deadline. */
    private static Watchdog.Outcome<Void> await(String what, Duration deadline, BooleanSupplier done) {
        return Watchdog.awaitCondition(what, deadline, done);
    }

    static Seen run(CheckContext ctx, Subject<KagentReconciler> subject) throws Exception {
        int agents = ctx.ops(10);
        try (KagentRig rig = new KagentRig(ctx, subject, Duration.ofSeconds(60))) {
            rig.remote.hang(true);
            rig.addRemoteServer("hung");
            Watchdog.Outcome<Void> called = await("tools/list reaches the hung server", BOUND,
                    () -> rig.remote.requests() >= 1);
            if (called.timedOut()) {
                throw new IllegalStateException("the server reconcile never called the remote server: "
                        + called.describe());
            }
            long calledAt = System.nanoTime();
            rig.createAgents(agents);
            Watchdog.Outcome<Void> allStored = await("all " + agents + " agents stored", BOUND,
                    () -> rig.storedAsDesired(agents) == agents);
            int stored = rig.storedAsDesired(agents);
            if (allStored.timedOut()) {
                return new Seen(agents, stored, allStored, null, null);
            }
            rig.desired.removeAgent("agent-0");
            rig.controllers.agentEvent("agent-0");
            Watchdog.Outcome<Void> deleted = await("agent-0's row removed", BOUND,
                    () -> rig.store.findAgent("agent-0").isEmpty());
            Duration left = BOUND.minusNanos(System.nanoTime() - calledAt);
            Watchdog.Outcome<Void> callEnded = await("the hung server reconcile ends",
                    left.isNegative() ? Duration.ZERO : left, () -> rig.serverReconciles.get() >= 1);
            return new Seen(agents, stored, allStored, deleted, callEnded);
        }
    }

    static Findings judge(Seen s) {
        return new Findings()
                .check(s.allStored().timedOut(), "agent-stored-while-remote-hangs",
                        () -> s.stored() + "/" + s.agents() + " agents stored " + s.allStored().waited().toMillis()
                                + " ms after their events while the remote server hung")
                .check(s.deleted() != null && s.deleted().timedOut(), "every-agent-event-applied",
                        () -> "a deleted agent's row was still there after " + BOUND.toSeconds() + " s")
                .check(s.callEnded() != null && s.callEnded().timedOut(), "remote-call-bounded",
                        () -> "the server reconcile was still in its call to the hung server " + BOUND.toSeconds()
                                + " s after the call");
    }

    static Observation describe(Seen s, Findings f) {
        Observation o = f.observe(s.agents() + " Agent creates while the remote server hangs",
                        "all stored in " + s.allStored().waited().toMillis() + " ms, a delete applied, the hung call"
                                + " ended in time")
                .operations(s.agents()).metric("agentsStored", s.stored());
        Watchdog.Outcome<Void> stuck = s.allStored().timedOut() ? s.allStored()
                : s.callEnded() != null && s.callEnded().timedOut() ? s.callEnded() : null;
        if (stuck != null) {
            o.evidence("waits", stuck.dump().describeWaits())
                    .evidence("threadDump", stuck.dump().toEvidence("kagent-", "fake-mcp"));
        }
        return o;
    }
}
