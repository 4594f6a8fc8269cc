package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.concurrent.ManualClock;
import io.stresslab.core.db.Database;
import io.stresslab.core.molecule.AtomicCooldownGate;
import io.stresslab.core.molecule.PluginReconciler;
import io.stresslab.core.molecule.RecoveryGate;
import io.stresslab.core.molecule.RecoveryGate.Denial;
import io.stresslab.core.molecule.WorkspaceRegistry;
import io.stresslab.core.molecule.WorkspaceStatus;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Race;
import io.stresslab.stress.harness.Subject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * MOLECULE-1's {@code gate-decisions}, deterministic on a hand-moved clock and the same for every gate: a table of
 * workspaces (platform with and without MODEL, MCP absent, present or unreported, a standard workspace, a removed one)
 * and the cooldown's edges, then bursts of two concurrent MCP-missing heartbeats of a new concierge. Judged: every
 * answer and every fire as {@link RecoveryGate} states; exactly one fire per burst. Stops at the first wrong burst.
 */
final class GateDecisions {
    static final Duration COOLDOWN = Duration.ofMinutes(5);
    private static final Duration ROUND_DEADLINE = Duration.ofSeconds(10);

    private GateDecisions() {
    }

    record Seen(List<String> steps, List<String[]> wrong, List<Integer> burstFires) {
    }

    static Seen run(CheckContext ctx, Subject<RecoveryGate> subject) throws Exception {
        ManualClock clock = new ManualClock();
        Map<String, LongAdder> fires = new ConcurrentHashMap<>();
        List<String> steps = new ArrayList<>();
        List<String[]> wrong = new ArrayList<>();
        List<Integer> bursts = new ArrayList<>();
        try (Database db = ctx.openDatabase(); Race race = new Race("molecule1-burst", 2)) {
            PluginReconciler reconciler = new PluginReconciler(db, Runnable::run, Duration.ofMinutes(10),
                    counting(fires));
            RecoveryGate gate = subject.create(Env.of(reconciler, new AtomicCooldownGate(clock, COOLDOWN), clock,
                    COOLDOWN));
            Step step = (ws, present, want, wantFires, obligation) -> {
                long before = count(fires, ws.id());
                Denial got = gate.admit(ws, present);
                long fired = count(fires, ws.id()) - before;
                String what = ws.id() + " (" + ws.kind() + (ws.hasModelSecret() ? ", MODEL" : ", no MODEL") + ", "
                        + ws.status().db() + ", MCP "
                        + (present == null ? "unreported" : present ? "present" : "absent")
                        + ") at +" + Duration.between(java.time.Instant.EPOCH, clock.instant()).toMillis() + " ms";
                steps.add(what + " → " + got + ", " + fired + " fire(s)");
                if (got != want || fired != wantFires) {
                    wrong.add(new String[] {obligation, what + " answered " + got + " with " + fired
                            + " fire(s); expected " + want + " with " + wantFires});
                }
            };
            table(step, clock);
            bursts(ctx, race, gate, fires, bursts);
        }
        return new Seen(steps, wrong, bursts);
    }

    /** Bursts of two concurrent MCP-missing heartbeats of a new concierge; stops at the first that fires twice. */
    private static void bursts(CheckContext ctx, Race race, RecoveryGate gate, Map<String, LongAdder> fires,
                               List<Integer> out) {
        int planned = ctx.ops(200);
        for (int b = 0; b < planned; b++) {
            RecoveryGate.Workspace ws = platform("burst-" + b, true, WorkspaceStatus.FAILED);
            List<Callable<Denial>> tasks = Collections.nCopies(2, () -> gate.admit(ws, false));
            Race.Round<Denial> round = race.run(ROUND_DEADLINE, tasks);
            if (!round.clean()) {
                throw new IllegalStateException("burst " + b + " did not finish cleanly: " + round.errors());
            }
            out.add((int) count(fires, ws.id()));
            if (out.get(b) != 1) {
                return;
            }
        }
    }

    private static void table(Step step, ManualClock clock) {
        step.call(platform("c1", true, WorkspaceStatus.FAILED), false, Denial.MCP_MISSING, 1, "mcp-missing-fires");
        step.call(platform("c1", true, WorkspaceStatus.FAILED), false, Denial.MCP_MISSING, 0, "once-per-cooldown");
        clock.advance(COOLDOWN.minusMillis(1));
        step.call(platform("c1", true, WorkspaceStatus.FAILED), false, Denial.MCP_MISSING, 0, "once-per-cooldown");
        step.call(platform("c2", true, WorkspaceStatus.ONLINE), false, Denial.MCP_MISSING, 1, "once-per-cooldown");
        clock.advance(Duration.ofMillis(1));
        step.call(platform("c1", true, WorkspaceStatus.FAILED), false, Denial.MCP_MISSING, 1, "once-per-cooldown");
        step.call(platform("c3", false, WorkspaceStatus.FAILED), false, Denial.MODEL_MISSING, 0,
                "model-missing-never-fires");
        step.call(platform("c3", false, WorkspaceStatus.PROVISIONING), true, Denial.MODEL_MISSING, 0, "fail-closed");
        step.call(platform("c4", true, WorkspaceStatus.FAILED), true, null, 0, "others-pass-without-fire");
        step.call(platform("c4", true, WorkspaceStatus.ONLINE), null, null, 0, "others-pass-without-fire");
        step.call(new RecoveryGate.Workspace("w1", "standard", false, WorkspaceStatus.ONLINE), false, null, 0,
                "others-pass-without-fire");
        step.call(platform("r1", true, WorkspaceStatus.REMOVED), false, null, 0, "others-pass-without-fire");
    }

    /** Counts the fires per workspace (the reconcile itself runs on the caller's thread). */
    private static PluginReconciler.Listener counting(Map<String, LongAdder> fires) {
        return new PluginReconciler.Listener() {
            @Override
            public void fired(String ws, PluginReconciler.Trigger trigger) {
                fires.computeIfAbsent(ws, k -> new LongAdder()).increment();
            }

            @Override
            public void finished(String ws, int installed, Throwable failure) {
            }
        };
    }

    private static RecoveryGate.Workspace platform(String id, boolean model, WorkspaceStatus status) {
        return new RecoveryGate.Workspace(id, WorkspaceRegistry.PLATFORM_KIND, model, status);
    }

    private static long count(Map<String, LongAdder> fires, String ws) {
        LongAdder a = fires.get(ws);
        return a == null ? 0 : a.sum();
    }

    @FunctionalInterface
    private interface Step {
        void call(RecoveryGate.Workspace ws, Boolean present, Denial want, long wantFires, String obligation);
    }

    static Findings judge(Seen s) {
        Findings f = new Findings();
        s.wrong().forEach(w -> f.add(w[0], w[1]));
        long off = s.burstFires().stream().filter(n -> n != 1).count();
        return f.check(off > 0, "once-per-cooldown, mcp-missing-fires", () -> off + " of " + s.burstFires().size()
                + " bursts of two concurrent MCP-missing heartbeats fired " + s.burstFires().get(
                        s.burstFires().size() - 1) + " times (expected once)");
    }

    static Observation describe(Seen s, Findings f) {
        return f.observe(s.steps().size() + " gate decisions on a hand-moved clock (cooldown " + COOLDOWN.toMinutes()
                        + " min), then " + s.burstFires().size() + " bursts of two concurrent MCP-missing heartbeats",
                        "every answer and fire as the contract says, one fire per burst")
                .operations(s.steps().size() + 2L * s.burstFires().size())
                .evidence("steps", s.steps());
    }
}
