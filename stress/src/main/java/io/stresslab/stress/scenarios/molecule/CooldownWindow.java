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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MOLECULE-2's deterministic check of the cooldown window, on a hand-moved clock, then bursts of concurrent first
 * heartbeats: the same steps and the same judge for every gate.
 */
final class CooldownWindow {
    static final Duration COOLDOWN = Duration.ofMinutes(5);
    private static final int BURST_THREADS = 2;
    private static final int BURSTS_PER_ROUND = 100;
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
        if (wrong.isEmpty()) { // a step already broke the contract: the verdict is in, the bursts would not change it
            bursts(gate, clock, ctx.ops(20_000), fires, reconciles);
        }
        return new Seen(steps, wrong, fires.size(), fires, reconciles);
    }

    /**
     * Up to {@code bursts} bursts of concurrent heartbeats, alternately on a new workspace and on one whose window has
     * just expired, {@value #BURSTS_PER_ROUND} to a round: the round's expired workspaces fire first, the clock moves
     * one cooldown, then both threads race through the round's workspaces in lockstep ({@link Race#lockstep}). Stops
     * after the first round with a burst that breaks the contract (a fire count other than one, or a reconcile count
     * other than its fires). Records each burst's fires and reconcile runs.
     */
    private static void bursts(CooldownGate gate, ManualClock clock, int bursts, List<Integer> fires,
                               List<Integer> reconciles) {
        try (Race race = new Race("molecule2-burst", BURST_THREADS)) {
            for (int first = 0; first < bursts; first += BURSTS_PER_ROUND) {
                int n = Math.min(BURSTS_PER_ROUND, bursts - first);
                String[] ws = new String[n];
                AtomicInteger[] runs = new AtomicInteger[n];
                for (int i = 0; i < n; i++) {
                    ws[i] = "burst-" + (first + i);
                    runs[i] = new AtomicInteger();
                    // a window that will just have expired: the heartbeats race to reopen it
                    if ((first + i) % 2 == 1) {
                        gate.tryFire(ws[i], () -> { });
                    }
                }
                clock.advance(COOLDOWN);
                Race.Round<List<Boolean>> round = race.lockstep(ROUND_DEADLINE, BURST_THREADS, n,
                        (thread, i) -> gate.tryFire(ws[i], runs[i]::incrementAndGet));
                if (!round.clean()) {
                    throw new IllegalStateException("bursts " + first + "-" + (first + n - 1) + " did not finish"
                            + " cleanly: " + round.errors());
                }
                boolean broken = false;
                for (int i = 0; i < n; i++) {
                    int fired = 0;
                    for (List<Boolean> thread : round.values()) {
                        fired += thread.get(i) ? 1 : 0;
                    }
                    fires.add(fired);
                    reconciles.add(runs[i].get());
                    broken |= fired != 1 || runs[i].get() != fired;
                }
                if (broken) {
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
                        + " bursts of " + BURST_THREADS + " concurrent heartbeats (of a new workspace or one whose"
                        + " window had just expired) fired more than once")
                .check(none > 0, "first-heartbeat-fires, fires-again-after-window",
                        () -> none + " of " + s.bursts() + " bursts fired nobody")
                .check(mismatched > 0, "fire-runs-reconcile", () -> finalMismatched + " bursts ran the reconcile a "
                        + "different number of times than they fired");
    }

    static Observation describe(Seen s, Findings f) {
        return f.observe(s.steps().size() + " steps on a hand-moved clock (cooldown " + COOLDOWN.toMinutes()
                        + " min) and " + s.bursts() + " bursts of " + BURST_THREADS + " concurrent heartbeats, half on"
                        + " a new workspace, half on one whose window had just expired, " + BURSTS_PER_ROUND
                        + " in lockstep to a round (stopping at the first step or round that breaks the contract)",
                "every step as the contract says, exactly one fire per burst")
                .operations(s.steps().size() + (long) s.bursts() * BURST_THREADS)
                .evidence("steps", s.steps());
    }
}
