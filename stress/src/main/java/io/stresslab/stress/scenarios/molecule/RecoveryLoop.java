package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.Database;
import io.stresslab.core.molecule.AtomicCooldownGate;
import io.stresslab.core.molecule.McpRecovery;
import io.stresslab.core.molecule.PluginReconciler;
import io.stresslab.core.molecule.PluginReconciler.Trigger;
import io.stresslab.core.molecule.Registration;
import io.stresslab.core.molecule.WorkspaceRegistry;
import io.stresslab.core.molecule.WorkspaceStatus;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.ThreadDump;
import io.stresslab.stress.harness.Watchdog;
import java.lang.management.ThreadInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The MOLECULE-1 closed loop, the same for both variants: four workspaces on a real database, each with a simulated
 * runtime whose {@code mcpServerPresent} is whatever the reconcile has installed (the real runtime re-reads its
 * settings on every call):
 * <ul>
 *   <li>{@value #REGISTERED} — a concierge whose management MCP plugin is declared but not installed; its runtime
 *       registers (reporting the MCP absent), then heartbeats;</li>
 *   <li>{@value #HEARTBEATING} — the same, but only heartbeats (a runtime already past register);</li>
 *   <li>{@value #MODELLESS} — a concierge without a MODEL secret;</li>
 *   <li>{@value #WORKER} — an ordinary workspace, whose runtime reports no management MCP.</li>
 * </ul>
 * A driver thread sends heartbeat rounds back to back (no sleeps) and checks the invariants after every heartbeat.
 * The {@link Watchdog} waits for both MCP-less concierges to climb back online and reports a stall when their recovery
 * makes no progress (no reconcile fired, nothing installed, not online) — a logical deadlock in which no thread is
 * blocked.
 */
final class RecoveryLoop {
    static final String REGISTERED = "concierge";
    static final String HEARTBEATING = "concierge-heartbeat-only";
    static final String MODELLESS = "concierge-no-model";
    static final String WORKER = "worker";
    private static final List<String> WORKSPACES = List.of(REGISTERED, HEARTBEATING, MODELLESS, WORKER);
    private static final List<String> RECOVERING = List.of(REGISTERED, HEARTBEATING);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-24T12:00:00Z"), ZoneOffset.UTC);
    private static final Duration COOLDOWN = Duration.ofMinutes(5);
    private static final Duration STALL_WINDOW = Duration.ofMillis(1500);
    private static final Duration OVERALL = Duration.ofSeconds(30);
    private static final int MAX_VIOLATIONS = 10;
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** What happened to one workspace, in heartbeats (its own count) and nanoTime. */
    private static final class Track {
        final AtomicLong beats = new AtomicLong();
        final AtomicLong installedAtBeat = new AtomicLong(-1);
        final AtomicLong installedAtNanos = new AtomicLong();
        final AtomicLong onlineAtBeat = new AtomicLong(-1);
        final AtomicLong onlineAtNanos = new AtomicLong();
        final Map<Trigger, LongAdder> fires = new ConcurrentHashMap<>();
        final LongAdder finished = new LongAdder();

        long fires(Trigger t) {
            LongAdder a = fires.get(t);
            return a == null ? 0 : a.sum();
        }

        boolean online() {
            return onlineAtBeat.get() >= 0;
        }

        /** Heartbeats from the reconcile's install to the first online answer (-1 if either never happened). */
        long beatsFromInstallToOnline() {
            return online() && installedAtBeat.get() >= 0 ? onlineAtBeat.get() - installedAtBeat.get() : -1;
        }
    }

    private final Map<String, Track> tracks = new LinkedHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong heartbeats = new AtomicLong();

    private RecoveryLoop() {
        WORKSPACES.forEach(ws -> tracks.put(ws, new Track()));
    }

    /** The before registry: nothing fires from the gate. */
    static Observation withoutRecovery(CheckContext ctx) {
        return new RecoveryLoop().run(ctx, reconciler -> McpRecovery.NONE);
    }

    /** The after registry: the MCP-missing branch fires the reconcile through an atomic 5-minute cooldown gate. */
    static Observation withRecovery(CheckContext ctx) {
        return new RecoveryLoop().run(ctx,
                reconciler -> McpRecovery.reconcileThrough(new AtomicCooldownGate(CLOCK, COOLDOWN), reconciler));
    }

    private Observation run(CheckContext ctx, Function<PluginReconciler, McpRecovery> recoveryOf) {
        int minBeats = ctx.ops(20);
        String prefix = "molecule-" + RUNS.incrementAndGet();
        ExecutorService reconciles = Executors.newFixedThreadPool(2, Threads.named(prefix + "-reconcile"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> driverFailure = new AtomicReference<>();
        try (Database db = ctx.openDatabase()) {
            PluginReconciler reconciler = new PluginReconciler(db, reconciles, Duration.ofMinutes(10),
                    listener());
            WorkspaceRegistry registry = new WorkspaceRegistry(db, reconciler, recoveryOf.apply(reconciler));
            provision(registry);
            Map<String, Registration> registrations = new LinkedHashMap<>();
            for (String ws : WORKSPACES) {
                if (!ws.equals(HEARTBEATING)) {
                    registrations.put(ws, registry.register(ws, mcpPresent(registry, ws)));
                }
            }
            Thread driver = Threads.daemon(prefix + "-heartbeats", () -> {
                try {
                    while (!stop.get()) {
                        for (String ws : WORKSPACES) {
                            beat(registry, ws);
                        }
                    }
                } catch (Throwable t) {
                    driverFailure.set(t);
                }
            });
            driver.start();
            Watchdog.Outcome<Void> recovery = Watchdog.awaitProgress("concierges back online", OVERALL, STALL_WINDOW,
                    this::recoveryProgress, () -> allRecovered() || driverFailure.get() != null);
            // enough heartbeats either way: N without progress, or N and 3 more after the recovery (it stays online)
            Watchdog.Outcome<Void> enough = Watchdog.awaitCondition(minBeats + " heartbeat rounds", OVERALL,
                    () -> enoughBeats(minBeats) || driverFailure.get() != null);
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
            return observe(registry, registrations, recovery, prefix);
        } finally {
            stop.set(true);
            reconciles.shutdownNow();
        }
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
        Track track = tracks.get(ws);
        boolean present = mcpPresent(registry, ws);
        WorkspaceStatus answered = registry.heartbeat(ws, present);
        long n = track.beats.incrementAndGet();
        heartbeats.incrementAndGet();
        WorkspaceStatus stored = registry.status(ws);
        boolean platform = !ws.equals(WORKER);
        if (platform && (answered == WorkspaceStatus.ONLINE || stored == WorkspaceStatus.ONLINE)
                && !(present && mcpPresent(registry, ws))) {
            violate(ws + " online while its management MCP is absent (beat reported present=" + present + ")");
        }
        if (ws.equals(MODELLESS) && (stored != WorkspaceStatus.FAILED || track.fires(Trigger.MCP_RECOVERY) > 0)) {
            violate(ws + " is " + stored.db() + " with " + track.fires(Trigger.MCP_RECOVERY)
                    + " recovery fires without a MODEL secret");
        }
        if (ws.equals(WORKER) && track.fires(Trigger.MCP_RECOVERY) > 0) {
            violate(ws + " (not a platform workspace) fired the MCP-recovery reconcile");
        }
        if (answered == WorkspaceStatus.ONLINE && track.onlineAtBeat.compareAndSet(-1, n)) {
            track.onlineAtNanos.set(System.nanoTime());
        }
    }

    private void violate(String what) {
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add("heartbeat " + heartbeats.get() + ": " + what);
        }
    }

    private PluginReconciler.Listener listener() {
        return new PluginReconciler.Listener() {
            @Override
            public void fired(String ws, Trigger trigger) {
                tracks.get(ws).fires.computeIfAbsent(trigger, k -> new LongAdder()).increment();
            }

            @Override
            public void finished(String ws, int installed, Throwable failure) {
                Track track = tracks.get(ws);
                track.finished.increment();
                if (installed > 0 && failure == null && track.installedAtBeat.compareAndSet(-1, track.beats.get())) {
                    track.installedAtNanos.set(System.nanoTime());
                }
            }
        };
    }

    /** Anything that moves a concierge towards online: a fire, a finished reconcile, reaching online. */
    private long recoveryProgress() {
        long p = 0;
        for (String ws : RECOVERING) {
            Track t = tracks.get(ws);
            p += t.fires(Trigger.MCP_RECOVERY) + t.fires(Trigger.ONLINE_TRANSITION) + t.finished.sum()
                    + (t.online() ? 1 : 0);
        }
        return p;
    }

    private boolean allRecovered() {
        return RECOVERING.stream().allMatch(ws -> tracks.get(ws).online());
    }

    private boolean enoughBeats(int minBeats) {
        return RECOVERING.stream().map(tracks::get)
                .allMatch(t -> t.beats.get() >= Math.max(minBeats, t.onlineAtBeat.get() + 3));
    }

    private Observation observe(WorkspaceRegistry registry, Map<String, Registration> registrations,
                                Watchdog.Outcome<Void> recovery, String prefix) {
        List<String> problems = new ArrayList<>(violations);
        Map<String, Object> perWorkspace = new LinkedHashMap<>();
        long worstBeatsToOnline = 0;
        double worstMillisToOnline = 0;
        long recoveryFires = 0;
        for (String ws : RECOVERING) {
            Track t = tracks.get(ws);
            long fires = t.fires(Trigger.MCP_RECOVERY);
            recoveryFires += fires;
            if (!t.online()) {
                problems.add(ws + " stayed " + registry.status(ws).db() + " over " + t.beats.get() + " heartbeats with "
                        + (fires + t.fires(Trigger.ONLINE_TRANSITION)) + " reconcile fires");
            } else if (t.beatsFromInstallToOnline() > 2 || t.beatsFromInstallToOnline() < 0) {
                problems.add(ws + " online " + t.beatsFromInstallToOnline()
                        + " heartbeats after the reconcile finished");
            } else {
                worstBeatsToOnline = Math.max(worstBeatsToOnline, t.beatsFromInstallToOnline());
                worstMillisToOnline = Math.max(worstMillisToOnline,
                        (t.onlineAtNanos.get() - t.installedAtNanos.get()) / 1e6);
            }
            if (fires > 1 || (t.online() && fires != 1)) {
                problems.add(ws + ": recovery reconcile fired " + fires + " times within one cooldown window");
            }
        }
        for (String ws : WORKSPACES) {
            Track t = tracks.get(ws);
            perWorkspace.put(ws, Map.of("status", registry.status(ws).db(), "heartbeats", t.beats.get(),
                    "recoveryFires", t.fires(Trigger.MCP_RECOVERY), "onlineFires", t.fires(Trigger.ONLINE_TRANSITION),
                    "installed", registry.installedPlugins(ws).toString(), "onlineAtBeat", t.onlineAtBeat.get(),
                    "installedAtBeat", t.installedAtBeat.get()));
        }
        if (registrations.get(REGISTERED).accepted() || registrations.get(MODELLESS).accepted()
                || !registrations.get(WORKER).accepted()) {
            problems.add("register answered " + registrations);
        }
        long rounds = tracks.get(REGISTERED).beats.get();
        String work = rounds + " heartbeat rounds × " + WORKSPACES.size() + " workspaces";
        Observation o = problems.isEmpty()
                ? Observation.bugAbsent("both MCP-less concierges online within " + worstBeatsToOnline
                        + " heartbeat(s) of their recovery reconcile finishing (fired once each: by register, by"
                        + " heartbeat); model-less concierge failed with 0 fires; worker 0 recovery fires; never"
                        + " online without the MCP — " + work)
                : Observation.bugObserved(String.join("; ", problems) + " — " + work
                        + (recovery.timedOut() ? " (" + recovery.describe() + ")" : ""));
        o.operations(heartbeats.get())
                .metric("heartbeats", heartbeats.get())
                .metric("heartbeatRounds", rounds)
                .metric("recoveryFires", recoveryFires)
                .metric("invariantViolations", violations.size())
                .evidence("registrations", registrations.toString())
                .evidence("workspaces", perWorkspace);
        if (allRecovered()) {
            o.metric("maxBeatsFromReconcileToOnline", worstBeatsToOnline)
                    .metric("maxReconcileToOnlineMillis", worstMillisToOnline);
        }
        if (recovery.timedOut()) {
            ThreadDump dump = recovery.dump();
            List<String> blocked = dump.threads().stream()
                    .filter(t -> t.getThreadName().startsWith(prefix))
                    .filter(t -> t.getThreadState() == Thread.State.BLOCKED || t.getLockOwnerId() >= 0)
                    .map(ThreadInfo::getThreadName).toList();
            o.metric("detectedAfterMillis", recovery.waited().toMillis())
                    .metric("blockedThreads", blocked.size())
                    .evidence("stall", recovery.describe())
                    .evidence("blockedThreads", blocked.isEmpty()
                            ? "none — no thread is blocked: a logical deadlock only a progress check sees" : blocked)
                    .evidence("threadDump", dump.toEvidence(prefix));
        }
        if (!violations.isEmpty()) {
            o.evidence("violations", List.copyOf(violations));
        }
        return o;
    }

}
