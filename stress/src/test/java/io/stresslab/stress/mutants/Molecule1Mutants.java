package io.stresslab.stress.mutants;

import io.stresslab.core.molecule.CooldownGate;
import io.stresslab.core.molecule.PluginReconciler;
import io.stresslab.core.molecule.RecoveryGate;
import io.stresslab.core.molecule.WorkspaceRegistry;
import io.stresslab.core.molecule.WorkspaceStatus;
import io.stresslab.stress.harness.Subject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MOLECULE-1's mutation suite: recovery gates with the mistakes real teams make, and a correct gate that differs from
 * ours. Each is a public class with a constructor the contract allows.
 */
public final class Molecule1Mutants {
    private static final String BUG = "MOLECULE-1";

    private Molecule1Mutants() {
    }

    public static List<Subject<RecoveryGate>> mutants() {
        return List.of(
                Subject.mutant(BUG, RecoveryGate.class, FiresOnEveryHeartbeat.class),
                Subject.mutant(BUG, RecoveryGate.class, ChecksMcpBeforeModel.class),
                Subject.mutant(BUG, RecoveryGate.class, FiresForAnyKind.class),
                Subject.mutant(BUG, RecoveryGate.class, OneCooldownForAllWorkspaces.class),
                Subject.mutant(BUG, RecoveryGate.class, FailsOpenWhileRecovering.class));
    }

    public static List<Subject<RecoveryGate>> alternatives() {
        return List.of(Subject.alternative(BUG, RecoveryGate.class, OwnCooldownMap.class));
    }

    static boolean platform(RecoveryGate.Workspace ws) {
        return WorkspaceRegistry.PLATFORM_KIND.equals(ws.kind()) && ws.status() != WorkspaceStatus.REMOVED;
    }

    static void fire(PluginReconciler reconciler, String id) {
        reconciler.reconcile(id, PluginReconciler.Trigger.MCP_RECOVERY);
    }

    /**
     * The usual gate: non-platform and removed pass, MODEL first; subclasses decide a platform workspace with MODEL.
     */
    abstract static class ModelFirst implements RecoveryGate {
        final PluginReconciler reconciler;
        final CooldownGate cooldown;

        ModelFirst(PluginReconciler reconciler, CooldownGate cooldown) {
            this.reconciler = reconciler;
            this.cooldown = cooldown;
        }

        @Override
        public Denial admit(Workspace ws, Boolean present) {
            if (!platform(ws)) {
                return null;
            }
            return ws.hasModelSecret() ? withModel(ws, present) : Denial.MODEL_MISSING;
        }

        /** By default fails closed without a fire; the mutants override this or {@link #admit}. */
        Denial withModel(Workspace ws, Boolean present) {
            return mcp(present, () -> { });
        }

        /** {@code MCP_MISSING} after running {@code onMissing} when the runtime reports no MCP, else null. */
        static Denial mcp(Boolean present, Runnable onMissing) {
            if (Boolean.FALSE.equals(present)) {
                onMissing.run();
                return Denial.MCP_MISSING;
            }
            return null;
        }
    }

    /** No cooldown: every MCP-missing heartbeat fires another reconcile. */
    public static final class FiresOnEveryHeartbeat extends ModelFirst {
        public FiresOnEveryHeartbeat(PluginReconciler reconciler) {
            super(reconciler, null);
        }

        @Override
        Denial withModel(Workspace ws, Boolean present) {
            return mcp(present, () -> fire(reconciler, ws.id()));
        }
    }

    /** Looks at the MCP first: a concierge without MODEL fires reconciles that can never help it. */
    public static final class ChecksMcpBeforeModel extends ModelFirst {
        public ChecksMcpBeforeModel(PluginReconciler reconciler, CooldownGate cooldown) {
            super(reconciler, cooldown);
        }

        @Override
        public Denial admit(Workspace ws, Boolean present) {
            if (!platform(ws)) {
                return null;
            }
            if (Boolean.FALSE.equals(present)) {
                cooldown.tryFire(ws.id(), () -> fire(reconciler, ws.id()));
                return ws.hasModelSecret() ? Denial.MCP_MISSING : Denial.MODEL_MISSING;
            }
            return ws.hasModelSecret() ? null : Denial.MODEL_MISSING;
        }
    }

    /** Forgets the kind: any workspace whose runtime reports no MCP is failed and reconciled. */
    public static final class FiresForAnyKind extends ModelFirst {
        public FiresForAnyKind(PluginReconciler reconciler, CooldownGate cooldown) {
            super(reconciler, cooldown);
        }

        @Override
        public Denial admit(Workspace ws, Boolean present) {
            if (ws.status() == WorkspaceStatus.REMOVED) {
                return null;
            }
            boolean platformWithoutModel = WorkspaceRegistry.PLATFORM_KIND.equals(ws.kind()) && !ws.hasModelSecret();
            return platformWithoutModel ? Denial.MODEL_MISSING
                    : mcp(present, () -> cooldown.tryFire(ws.id(), () -> fire(reconciler, ws.id())));
        }
    }

    /** One cooldown key for the whole gate: a fire for one concierge holds every other one back for 5 minutes. */
    public static final class OneCooldownForAllWorkspaces extends ModelFirst {
        public OneCooldownForAllWorkspaces(PluginReconciler reconciler, CooldownGate cooldown) {
            super(reconciler, cooldown);
        }

        @Override
        Denial withModel(Workspace ws, Boolean present) {
            return mcp(present, () -> cooldown.tryFire("mcp-recovery", () -> fire(reconciler, ws.id())));
        }
    }

    /** Fires the reconcile, then lets the workspace through "since the repair is on its way": online without MCP. */
    public static final class FailsOpenWhileRecovering extends ModelFirst {
        public FailsOpenWhileRecovering(PluginReconciler reconciler, CooldownGate cooldown) {
            super(reconciler, cooldown);
        }

        @Override
        Denial withModel(Workspace ws, Boolean present) {
            boolean missing = Boolean.FALSE.equals(present);
            return missing && !cooldown.tryFire(ws.id(), () -> fire(reconciler, ws.id())) ? Denial.MCP_MISSING : null;
        }
    }

    /** Correct, and not ours: its own per-workspace last-fire map under one monitor, on the given clock. */
    public static final class OwnCooldownMap extends ModelFirst {
        private final Clock clock;
        private final Duration window;
        private final Map<String, Long> lastFire = new HashMap<>();

        public OwnCooldownMap(PluginReconciler reconciler, Clock clock, Duration window) {
            super(reconciler, null);
            this.clock = clock;
            this.window = window;
        }

        @Override
        Denial withModel(Workspace ws, Boolean present) {
            if (!Boolean.FALSE.equals(present)) {
                return null;
            }
            boolean due;
            synchronized (lastFire) {
                long now = clock.millis();
                Long last = lastFire.get(ws.id());
                due = last == null || now - last >= window.toMillis();
                if (due) {
                    lastFire.put(ws.id(), now);
                }
            }
            if (due) {
                fire(reconciler, ws.id());
            }
            return Denial.MCP_MISSING;
        }
    }
}
