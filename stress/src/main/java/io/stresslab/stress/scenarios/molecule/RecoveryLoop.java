package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.Database;
import io.stresslab.core.molecule.AtomicCooldownGate;
import io.stresslab.core.molecule.RecoveryGate;
import io.stresslab.core.molecule.PluginReconciler;
import io.stresslab.core.molecule.PluginReconciler.Trigger;
import io.stresslab.core.molecule.Registration;
import io.stresslab.core.molecule.WorkspaceRegistry;
import io.stresslab.core.molecule.WorkspaceStatus;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Watchdog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * MOLECULE-1's {@code closed-loop-mcp-recovery}, the same for every {@link RecoveryGate}: four workspaces on a real
 * database, each with a simulated runtime whose {@code mcpServerPresent} is whatever the reconcile has installed (the
 * real runtime re-reads its settings on every call):
 * <ul>
 *   <li>{@value #REGISTERED} — a concierge whose management MCP plugin is declared but not installed; its runtime
 *       registers (reporting the MCP absent), then heartbeats;</li>
 *   <li>{@value #HEARTBEATING} — the same, but only heartbeats (a runtime already past register);</li>
 *   <li>{@value #MODELLESS} — a concierge without a MODEL secret;</li>
 *   <li>{@value #WORKER} — an ordinary workspace, whose runtime reports no management MCP.</li>
 * </ul>
 * A driver thread sends heartbeat rounds back to back (no sleeps) and records the invariants broken at any heartbeat.
 * The {@link Watchdog} waits for both MCP-less concierges to climb back online and reports a stall when their recovery
 * makes no progress (no reconcile fired, nothing installed, not online) — a logical deadlock in which no thread is
 * blocked.
 */
final class RecoveryLoop {
    static final String REGISTERED = "concierge";
    static final String HEARTBEATING = "concierge-heartbeat-only";
    static final String MODELLESS = "concierge-no-model";
    static final String WORKER = "worker";
    static final List<String> WORKSPACES = List.of(REGISTERED, HEARTBEATING, MODELLESS, WORKER);
    static final List<String> RECOVERING = List.of(REGISTERED, HEARTBEATING);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-24T12:00:00Z"), ZoneOffset.UTC);
    private static final Duration COOLDOWN = Duration.ofMinutes(5);
    private static final Duration STALL_WINDOW = Duration.ofMillis(1500);
    private static final Duration OVERALL = Duration.ofSeconds(30);
    private static final int MAX_VIOLATIONS = 10;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final RecoveryTracks state = new RecoveryTracks(WORKSPACES, RECOVERING, MAX_VIOLATIONS);

    private RecoveryLoop() {
    }

    /** What the loop saw of one workspace. */
    record WorkspaceSeen(String status, long beats, long recoveryFires, long onlineFires, boolean online,
                         long beatsFromInstallToOnline, double millisFromInstallToOnline, String installed) {
    }

    /** What the closed loop saw: per workspace, the registrations, the per-heartbeat violations, the recovery wait. */
    record Seen(Map<String, WorkspaceSeen> workspaces, Map<String, Registration> registrations, List<String> violations,
                long heartbeats, Watchdog.Outcome<Void> recovery, String prefix) {
    }

    /** The one place this check waits for the recovery: the harness watchdog's progress wait. */
    private Watchdog.Outcome<Void> awaitRecovery(AtomicReference<Throwable> driverFailure) {
        return Watchdog.awaitProgress("concierges back online", OVERALL, STALL_WINDOW, state::recoveryProgress,
                () -> state.allRecovered() || driverFailure.get() != null);
    }

    static Seen run(CheckContext ctx, Subject<RecoveryGate> subject) throws Exception {
        return new RecoveryLoop().loop(ctx, subject);
    }

    private Seen loop(CheckContext ctx, Subject<RecoveryGate> subject) throws Exception {
        int minBeats = ctx.ops(20);
        String prefix = "molecule-" + RUNS.incrementAndGet();
        ExecutorService reconciles = Executors.newFixedThreadPool(2, Threads.named(prefix + "-reconcile"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> driverFailure = new AtomicReference<>();
        try (Database db = ctx.openDatabase()) {
            PluginReconciler reconciler = new PluginReconciler(db, reconciles, Duration.ofMinutes(10),
                    state.listener());
            RecoveryGate gate = subject.create(Env.of(reconciler, new AtomicCooldownGate(CLOCK, COOLDOWN), CLOCK,
                    COOLDOWN));
            WorkspaceRegistry registry = new WorkspaceRegistry(db, reconciler, gate);
            provision(registry);
            Map<String, Registration> registrations = new LinkedHashMap<>();
            for (String ws : WORKSPACES) {
                if (!ws.equals(HEARTBEATING)) {
                    registrations.put(ws, registry.register(ws, mcpPresent(registry, ws)));
                }
            }
            Thread driver = driver(prefix, registry, stop, driverFailure);
            Watchdog.Outcome<Void> recovery = awaitRecovery(driverFailure);
            // enough heartbeats either way: N without progress, or N and 3 more after the recovery (it stays online)
            Watchdog.Outcome<Void> enough = Watchdog.awaitCondition(minBeats + " heartbeat rounds", OVERALL,
                    () -> state.enoughBeats(minBeats) || driverFailure.get() != null);
            stop.set(true);
            Watchdog.Outcome<Void> ended = Watchdog.awaitThread("heartbeat driver ends", Duration.ofSeconds(10),
                    driver);
            if (driverFailure.get() != null) {
                throw new IllegalStateException("heartbeat driver failed: " + driverFailure.get(),
                        driverFailure.get());
            }
            if (enough.timedOut() || ended.timedOut()) {
                throw new IllegalStateException("the heartbeat driver was too slow: " + enough.describe() + "; "
                        + ended.describe());
            }
            return new Seen(seen(registry), registrations, state.violations(), state.heartbeats(), recovery,
                    prefix);
        } finally {
            stop.set(true);
            reconciles.shutdownNow();
        }
    }

    /** Starts the heartbeat driver: rounds over every workspace, back to back, until {@code stop}. */
    private Thread driver(String prefix, WorkspaceRegistry registry, AtomicBoolean stop,
                          AtomicReference<Throwable> failure) {
        Thread driver = Threads.daemon(prefix + "-heartbeats", () -> {
            try {
                while (!stop.get()) {
                    for (String ws : WORKSPACES) {
                        beat(registry, ws);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        driver.start();
        return driver;
    }

    /** What each workspace's track and row show at the end. */
    private Map<String, WorkspaceSeen> seen(WorkspaceRegistry registry) {
        Map<String, WorkspaceSeen> seen = new LinkedHashMap<>();
        for (String ws : WORKSPACES) {
            RecoveryTrack t = state.track(ws);
            seen.put(ws, new WorkspaceSeen(registry.status(ws).db(), t.beats.get(), t.fires(Trigger.MCP_RECOVERY),
                    t.fires(Trigger.ONLINE_TRANSITION), t.online(), t.beatsFromInstallToOnline(),
                    t.online() && t.installedAtBeat.get() >= 0
                            ? (t.onlineAtNanos.get() - t.installedAtNanos.get()) / 1e6 : -1,
                    registry.installedPlugins(ws).toString()));
        }
        return seen;
    }

    private static void provision(WorkspaceRegistry registry) {
        Set<String> conciergePlugins = Set.of(WorkspaceRegistry.MANAGEMENT_PLUGIN, "memory");
        Map<String, String> model = Map.of(WorkspaceRegistry.MODEL_SECRET, "model-key-not-a-real-secret");
        registry.provision(REGISTERED, WorkspaceRegistry.PLATFORM_KIND, model, conciergePlugins);
        registry.provision(HEARTBEATING, WorkspaceRegistry.PLATFORM_KIND, model, conciergePlugins);
        registry.provision(MODELLESS, WorkspaceRegistry.PLATFORM_KIND, Map.of(), conciergePlugins);
        registry.provision(WORKER, "standard", Map.of(), Set.of("search"));
    }

    /** The simulated runtime: the management MCP server is present once the reconcile has installed its plugin. */
    private static boolean mcpPresent(WorkspaceRegistry registry, String ws) {
        return registry.installedPlugins(ws).contains(WorkspaceRegistry.MANAGEMENT_PLUGIN);
    }

    /** One heartbeat of {@code ws}, then the per-step invariants. */
    private void beat(WorkspaceRegistry registry, String ws) {
        RecoveryTrack track = state.track(ws);
        boolean present = mcpPresent(registry, ws);
        WorkspaceStatus answered = registry.heartbeat(ws, present);
        long n = track.beats.incrementAndGet();
        state.beat();
        WorkspaceStatus stored = registry.status(ws);
        boolean platform = !ws.equals(WORKER);
        if (platform && (answered == WorkspaceStatus.ONLINE || stored == WorkspaceStatus.ONLINE)
                && !(present && mcpPresent(registry, ws))) {
            state.violate("closes-the-loop", ws + " online while its management MCP is absent (beat reported present="
                    + present + ")");
        }
        if (ws.equals(MODELLESS) && stored != WorkspaceStatus.FAILED) {
            state.violate("fail-closed", ws + " is " + stored.db() + " without a MODEL secret");
        }
        if (ws.equals(MODELLESS) && track.fires(Trigger.MCP_RECOVERY) > 0) {
            state.violate("model-missing-never-fires", ws + " fired " + track.fires(Trigger.MCP_RECOVERY)
                    + " recovery reconciles without a MODEL secret");
        }
        if (ws.equals(WORKER) && (track.fires(Trigger.MCP_RECOVERY) > 0 || answered != WorkspaceStatus.ONLINE)) {
            state.violate("others-pass-without-fire", ws + " (not a platform workspace) is " + answered.db() + " with "
                    + track.fires(Trigger.MCP_RECOVERY) + " recovery fires");
        }
        if (answered == WorkspaceStatus.ONLINE && track.onlineAtBeat.compareAndSet(-1, n)) {
            track.onlineAtNanos.set(System.nanoTime());
        }
    }

}
