package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.concurrent.ManualClock;
import io.stresslab.core.molecule.CooldownGate;
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
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MOLECULE-2's deterministic check of the cooldown window, on a hand-moved clock, then bursts of concurrent first
 * heartbeats: the same steps and the same judge for every gate.
 */
final class CooldownWindow {
    static final Duration COOLDOWN = Duration.ofMinutes(5);
    private static final int BURST_THREADS = 2;
    private static final Duration ROUND_DEADLINE = Duration.ofSeconds(10);

    private CooldownWindow() {
    }

    /** What the steps answered ("step → fired?", how often the reconcile ran), and each burst's fires and runs. */
    record Seen(List<String> steps, List<String> wrong, int bursts, List<Integer> burstFires, List<Integer> burstRuns) {
    }

    static Seen run(CheckContext ctx, Subject<CooldownGate> subject) throws Exception {
        ManualClock clock = new ManualClock();
        CooldownGate gate = subject.create(Env.of(clock, COOLDOWN));
        List<String> steps = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        Step step = (what, ws, reconcile, expectFire, expectRuns, obligation) -> {
            AtomicInteger runs = new AtomicInteger();
            boolean fired = gate.tryFire(ws, reconcile ? runs::incrementAndGet : null);
            steps.add(what + " → " + (fired ? "fired" : "refused") + ", reconcile ran " + runs.get() + "×");
            if (fired != expectFire || runs.get() != expectRuns) {
                wrong.add(obligation + ": " + what + " " + (fired ? "fired" : "was refused") + " and ran the reconcile "
                        + runs.get() + "× (expected " + (expectFire ? "a fire" : "a refusal") + ", " + expectRuns
                        + "×)");
            }
        };
        step.call("null workspace", null, true, false, 0, "no-op-inputs");
        step.call("empty workspace", "", true, false, 0, "no-op-inputs");
        step.call("null reconcile for ws-1", "ws-1", false, false, 0, "no-op-inputs");
        step.call("first heartbeat of ws-1", "ws-1", true, true, 1, "first-heartbeat-fires");
        clock.advance(COOLDOWN.minusMillis(1));
        step.call("ws-1, 1 ms before its window ends", "ws-1", true, false, 0, "at-most-once-per-window");
        step.call("first heartbeat of ws-2, inside ws-1's window", "ws-2", true, true, 1, "workspaces-independent");
        clock.advance(Duration.ofMillis(1));
        step.call("ws-1, as its window ends", "ws-1", true, true, 1, "fires-again-after-window");
        step.call("ws-1 again at once", "ws-1", true, false, 0, "at-most-once-per-window");
        List<Integer> fires = new ArrayList<>();
        List<Integer> reconciles = new ArrayList<>();
        bursts(gate, clock, ctx.ops(20_000), fires, reconciles);
        return new Seen(steps, wrong, fires.size(), fires, reconciles);
    }

    /**
     * Up to {@code bursts} bursts of concurrent heartbeats, alternately on a new workspace and on one whose window has
     * just expired; stops at the first burst that fires twice. Records each burst's fires and reconcile runs.
     */
    private static void bursts(CooldownGate gate, ManualClock clock, int bursts, List<Integer> fires,
                               List<Integer> reconciles) {
        try (Race race = new Race("molecule2-burst", BURST_THREADS)) {
            for (int b = 0; b < bursts; b++) {
                String ws = "burst-" + b;
                if (b % 2 == 1) { // a window that has just expired: the heartbeats race to reopen it
                    gate.tryFire(ws, () -> { });
                    clock.advance(COOLDOWN);
                }
                AtomicInteger runs = new AtomicInteger();
                List<Callable<Boolean>> tasks = Collections.nCopies(BURST_THREADS,
                        () -> gate.tryFire(ws, runs::incrementAndGet));
                Race.Round<Boolean> round = race.run(ROUND_DEADLINE, tasks);
                if (!round.clean()) {
                    throw new IllegalStateException("burst " + b + " did not finish cleanly: " + round.errors());
                }
                int fired = (int) round.values().stream().filter(Boolean::booleanValue).count();
                fires.add(fired);
                reconciles.add(runs.get());
                if (fired > 1) {
                    break;
                }
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void call(String what, String ws, boolean reconcile, boolean expectFire, int expectRuns, String obligation);
    }

    static Findings judge(Seen s) {
        Findings f = new Findings();
        s.wrong().forEach(w -> f.add(w.substring(0, w.indexOf(':')), w.substring(w.indexOf(':') + 2)));
        long doubles = s.burstFires().stream().filter(n -> n > 1).count();
        long none = s.burstFires().stream().filter(n -> n == 0).count();
        long mismatched = 0;
        for (int i = 0; i < s.bursts(); i++) {
            if (!s.burstFires().get(i).equals(s.burstRuns().get(i))) {
                mismatched++;
            }
        }
        long finalDoubles = doubles;
        long finalMismatched = mismatched;
        return f.check(doubles > 0, "at-most-once-per-window", () -> finalDoubles + " of " + s.bursts()
                        + " bursts of " + BURST_THREADS + " concurrent heartbeats (of a new workspace or one whose window"
                        + " had just expired) fired more than once")
                .check(none > 0, "first-heartbeat-fires, fires-again-after-window",
                        () -> none + " of " + s.bursts() + " bursts fired nobody")
                .check(mismatched > 0, "fire-runs-reconcile", () -> finalMismatched + " bursts ran the reconcile a "
                        + "different number of times than they fired");
    }

    static Observation describe(Seen s, Findings f) {
        return f.observe(s.steps().size() + " steps on a hand-moved clock (cooldown " + COOLDOWN.toMinutes()
                        + " min) and " + s.bursts() + " bursts of " + BURST_THREADS + " concurrent heartbeats, half on"
                        + " a new workspace, half on one whose window had just expired (stopping at the first double"
                        + " fire)",
                "every step as the contract says, exactly one fire per burst")
                .operations(s.steps().size() + (long) s.bursts() * BURST_THREADS)
                .evidence("steps", s.steps());
    }
}
