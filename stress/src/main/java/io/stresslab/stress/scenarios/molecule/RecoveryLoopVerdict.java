package io.stresslab.stress.scenarios.molecule;

import static io.stresslab.stress.scenarios.molecule.RecoveryLoop.MODELLESS;
import static io.stresslab.stress.scenarios.molecule.RecoveryLoop.RECOVERING;
import static io.stresslab.stress.scenarios.molecule.RecoveryLoop.REGISTERED;
import static io.stresslab.stress.scenarios.molecule.RecoveryLoop.WORKER;
import static io.stresslab.stress.scenarios.molecule.RecoveryLoop.WORKSPACES;

import io.stresslab.core.molecule.Registration;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.ThreadDump;
import io.stresslab.stress.scenarios.molecule.RecoveryLoop.Seen;
import io.stresslab.stress.scenarios.molecule.RecoveryLoop.WorkspaceSeen;
import java.lang.management.ThreadInfo;
import java.util.List;
import java.util.Map;

/** The judge and the description of MOLECULE-1's closed loop ({@link RecoveryLoop}), the same for every gate. */
final class RecoveryLoopVerdict {
    private RecoveryLoopVerdict() {
    }

    static Findings judge(Seen s) {
        Findings f = new Findings();
        s.violations().forEach(v -> f.add(v.substring(0, v.indexOf(':')), v.substring(v.indexOf(':') + 2)));
        for (String ws : RECOVERING) {
            WorkspaceSeen w = s.workspaces().get(ws);
            f.check(!w.online(), "closes-the-loop, mcp-missing-fires", () -> ws + " stayed " + w.status() + " over "
                            + w.beats() + " heartbeats with " + (w.recoveryFires() + w.onlineFires())
                            + " reconcile fires")
                    .check(w.online() && (w.beatsFromInstallToOnline() > 2 || w.beatsFromInstallToOnline() < 0),
                            "closes-the-loop", () -> ws + " online " + w.beatsFromInstallToOnline()
                                    + " heartbeats after the reconcile finished")
                    .check(w.recoveryFires() > 1 || (w.online() && w.recoveryFires() != 1), "once-per-cooldown",
                            () -> ws + ": recovery reconcile fired " + w.recoveryFires() + " times within one"
                                    + " cooldown window");
        }
        Map<String, Registration> r = s.registrations();
        return f.check(r.get(REGISTERED).accepted() || r.get(MODELLESS).accepted() || !r.get(WORKER).accepted(),
                "fail-closed", () -> "register answered " + r);
    }

    static Observation describe(Seen s, Findings f) {
        long rounds = s.workspaces().get(REGISTERED).beats();
        long fires = RECOVERING.stream().mapToLong(ws -> s.workspaces().get(ws).recoveryFires()).sum();
        Observation o = f.observe(rounds + " heartbeat rounds × " + WORKSPACES.size() + " workspaces"
                        + (s.recovery().timedOut() ? " (" + s.recovery().describe() + ")" : ""),
                "both MCP-less concierges online within 2 heartbeats of their recovery reconcile finishing (fired"
                        + " once each: by register, by heartbeat); model-less concierge failed with 0 fires; worker 0"
                        + " recovery fires; never online without the MCP")
                .operations(s.heartbeats())
                .metric("heartbeats", s.heartbeats())
                .metric("heartbeatRounds", rounds)
                .metric("recoveryFires", fires)
                .metric("invariantViolations", s.violations().size())
                .evidence("registrations", s.registrations().toString())
                .evidence("workspaces", s.workspaces());
        if (RECOVERING.stream().allMatch(ws -> s.workspaces().get(ws).online())) {
            o.metric("maxBeatsFromReconcileToOnline", RECOVERING.stream()
                            .mapToLong(ws -> s.workspaces().get(ws).beatsFromInstallToOnline()).max().orElse(0))
                    .metric("maxReconcileToOnlineMillis", RECOVERING.stream()
                            .mapToDouble(ws -> s.workspaces().get(ws).millisFromInstallToOnline()).max().orElse(0));
        }
        if (s.recovery().timedOut()) {
            ThreadDump dump = s.recovery().dump();
            List<String> blocked = dump.threads().stream()
                    .filter(t -> t.getThreadName().startsWith(s.prefix()))
                    .filter(t -> t.getThreadState() == Thread.State.BLOCKED || t.getLockOwnerId() >= 0)
                    .map(ThreadInfo::getThreadName).toList();
            o.metric("detectedAfterMillis", s.recovery().waited().toMillis())
                    .metric("blockedThreads", blocked.size())
                    .evidence("stall", s.recovery().describe())
                    .evidence("blockedThreads", blocked.isEmpty()
                            ? "none — no thread is blocked: a logical deadlock only a progress check sees" : blocked)
                    .evidence("threadDump", dump.toEvidence(s.prefix()));
        }
        return o;
    }
}
