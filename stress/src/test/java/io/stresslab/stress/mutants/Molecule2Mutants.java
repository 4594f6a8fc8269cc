package io.stresslab.stress.mutants;

import io.stresslab.core.molecule.CooldownGate;
import io.stresslab.stress.harness.Subject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MOLECULE-2's mutation suite: cooldown gates with the mistakes real teams make, and one correct gate that differs
 * from ours. Each is a public class with the contract's {@code (Clock, Duration)} constructor.
 */
public final class Molecule2Mutants {
    private static final String BUG = "MOLECULE-2";

    private Molecule2Mutants() {
    }

    public static List<Subject<CooldownGate>> mutants() {
        return List.of(
                Subject.mutant(BUG, CooldownGate.class, NeverExpires.class),
                Subject.mutant(BUG, CooldownGate.class, OneWindowForAllWorkspaces.class),
                Subject.mutant(BUG, CooldownGate.class, SecondsReadAsMillis.class),
                Subject.mutant(BUG, CooldownGate.class, FiresWithoutReconcile.class),
                Subject.mutant(BUG, CooldownGate.class, PutIfAbsentThenReplace.class));
    }

    public static List<Subject<CooldownGate>> alternatives() {
        return List.of(Subject.alternative(BUG, CooldownGate.class, SynchronizedGate.class));
    }

    /** Remembers that a workspace fired, never when: the first fire closes the workspace for good. */
    public static final class NeverExpires implements CooldownGate {
        private final Map<String, Boolean> fired = new ConcurrentHashMap<>();

        public NeverExpires(Clock clock, Duration cooldown) {
        }

        @Override
        public boolean tryFire(String ws, Runnable reconcile) {
            if (ws == null || ws.isEmpty() || reconcile == null || fired.putIfAbsent(ws, true) != null) {
                return false;
            }
            reconcile.run();
            return true;
        }
    }

    /** One last-fire time for the whole gate: a fire of one workspace cools every other one down. */
    public static final class OneWindowForAllWorkspaces implements CooldownGate {
        private final Clock clock;
        private final long cooldown;
        private Long last;

        public OneWindowForAllWorkspaces(Clock clock, Duration cooldown) {
            this.clock = clock;
            this.cooldown = cooldown.toMillis();
        }

        @Override
        public synchronized boolean tryFire(String ws, Runnable reconcile) {
            long now = clock.millis();
            if (ws == null || ws.isEmpty() || reconcile == null || (last != null && now - last < cooldown)) {
                return false;
            }
            last = now;
            reconcile.run();
            return true;
        }
    }

    /** Atomic, but the window is {@code cooldown.toSeconds()} milliseconds: a thousand times too short. */
    public static final class SecondsReadAsMillis implements CooldownGate {
        private final Clock clock;
        private final long cooldown;
        private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

        public SecondsReadAsMillis(Clock clock, Duration cooldown) {
            this.clock = clock;
            this.cooldown = cooldown.toSeconds();
        }

        @Override
        public boolean tryFire(String ws, Runnable reconcile) {
            if (ws == null || ws.isEmpty() || reconcile == null) {
                return false;
            }
            long now = clock.millis();
            boolean[] won = new boolean[1];
            last.compute(ws, (k, prev) -> {
                won[0] = prev == null || now - prev >= cooldown;
                return won[0] ? now : prev;
            });
            if (won[0]) {
                reconcile.run();
            }
            return won[0];
        }
    }

    /** Decides atomically but forgets to run the reconcile it reports as fired. */
    public static final class FiresWithoutReconcile implements CooldownGate {
        private final Clock clock;
        private final long cooldown;
        private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

        public FiresWithoutReconcile(Clock clock, Duration cooldown) {
            this.clock = clock;
            this.cooldown = cooldown.toMillis();
        }

        @Override
        public boolean tryFire(String ws, Runnable reconcile) {
            if (ws == null || ws.isEmpty() || reconcile == null) {
                return false;
            }
            long now = clock.millis();
            boolean[] won = new boolean[1];
            last.compute(ws, (k, prev) -> {
                won[0] = prev == null || now - prev >= cooldown;
                return won[0] ? now : prev;
            });
            return won[0];
        }
    }

    /**
     * First fire by putIfAbsent (atomic), but an expired window is reopened with get-then-put: after a cooldown two
     * heartbeats can both fire. Catching it needs the window to expire while heartbeats race.
     */
    public static final class PutIfAbsentThenReplace implements CooldownGate {
        private final Clock clock;
        private final long cooldown;
        private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

        public PutIfAbsentThenReplace(Clock clock, Duration cooldown) {
            this.clock = clock;
            this.cooldown = cooldown.toMillis();
        }

        @Override
        public boolean tryFire(String ws, Runnable reconcile) {
            if (ws == null || ws.isEmpty() || reconcile == null) {
                return false;
            }
            long now = clock.millis();
            Long prev = last.putIfAbsent(ws, now);
            if (prev != null) {
                if (now - prev < cooldown) {
                    return false;
                }
                last.put(ws, now); // not atomic with the read above
            }
            reconcile.run();
            return true;
        }
    }

    /** Correct, and not ours: one monitor around a plain map. */
    public static final class SynchronizedGate implements CooldownGate {
        private final Clock clock;
        private final long cooldown;
        private final Map<String, Long> last = new HashMap<>();

        public SynchronizedGate(Clock clock, Duration cooldown) {
            this.clock = clock;
            this.cooldown = cooldown.toMillis();
        }

        @Override
        public boolean tryFire(String ws, Runnable reconcile) {
            if (ws == null || ws.isEmpty() || reconcile == null) {
                return false;
            }
            synchronized (this) {
                long now = clock.millis();
                Long prev = last.get(ws);
                if (prev != null && now - prev < cooldown) {
                    return false;
                }
                last.put(ws, now);
            }
            reconcile.run();
            return true;
        }
    }
}
