package io.stresslab.stress.scenarios.molecule;

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
 * The MOLECULE-1 closed loop, the same for both variants: three workspaces on a real database — a concierge whose
 * management MCP plugin is declared but not installed, a concierge without a MODEL secret, and an ordinary workspace —
 * each with a simulated runtime whose {@code mcpServerPresent} is whatever the reconcile has installed (the real
 * runtime re-reads its settings on every call). Each runtime registers once, then a driver thread sends heartbeats
 * back to back (no sleeps); after every heartbeat the invariants are checked. The {@link Watchdog} waits for the
 * concierge to climb back online and reports a stall when its recovery makes no progress (no reconcile fired, nothing
 * installed, not online) — a logical deadlock in which no thread is blocked.
 */
final class RecoveryLoop {
    static final String CONCIERGE = "concierge";
    static final String MODELLESS = "concierge-no-model";
    static final String WORKER = "worker";
    private static final List<String> WORKSPACES = List.of(CONCIERGE, MODELLESS, WORKER);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-24T12:00:00Z"), ZoneOffset.UTC);
    private static final Duration COOLDOWN = Duration.ofMinutes(5);
    private static final Duration STALL_WINDOW = Duration.ofMillis(1500);
    private static final Duration OVERALL = Duration.ofSeconds(30);
    private static final int MAX_VIOLATIONS = 10;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Map<String, LongAdder> fires = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> finished = new ConcurrentHashMap<>();
    private final AtomicLong conciergeBeats = new AtomicLong();
    private final AtomicLong beatsAtConciergeInstall = new AtomicLong(-1);
    private final AtomicLong nanosAtConciergeInstall = new AtomicLong();
    private final AtomicLong onlineAtBeat = new AtomicLong(-1);
    private final AtomicLong nanosAtOnline = new AtomicLong();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong heartbeats = new AtomicLong();

    private RecoveryLoop() {
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
        ExecutorService reconciles = Executors.newFixedThreadPool(2, named(prefix + "-reconcile"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> driverFailure = new AtomicReference<>();
        try (Database db = ctx.openDatabase()) {
            PluginReconciler reconciler = new PluginReconciler(db, reconciles, Duration.ofMinutes(10).toMillis(),
                    listener());
            WorkspaceRegistry registry = new WorkspaceRegistry(db, reconciler, recoveryOf.apply(reconciler));
            provision(registry);
            Map<String, Registration> registrations = new ConcurrentHashMap<>();
            for (String ws : WORKSPACES) {
                registrations.put(ws, registry.register(ws, mcpPresent(registry, ws)));
            }
            Thread driver = named(prefix + "-heartbeats").newThread(() -> {
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
            Watchdog.Outcome<Void> recovery = Watchdog.awaitProgress("concierge back online", OVERALL, STALL_WINDOW,
                    this::recoveryProgress, () -> onlineAtBeat.get() >= 0 || driverFailure.get() != null);
            // enough heartbeats either way: N without progress, or N around the recovery to check it stays online
            Watchdog.Outcome<Void> enough = Watchdog.awaitCondition(minBeats + " heartbeat rounds", OVERALL,
                    () -> conciergeBeats.get() >= Math.max(minBeats, onlineAtBeat.get() + 3)
                            || driverFailure.get() != null);
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
        registry.provision(CONCIERGE, WorkspaceRegistry.PLATFORM_KIND,
                Map.of(WorkspaceRegistry.MODEL_SECRET, "model-key-not-a-real-secret"), conciergePlugins);
        registry.provision(MODELLESS, WorkspaceRegistry.PLATFORM_KIND, Map.of(), conciergePlugins);
        registry.provision(WORKER, "standard", Map.of(), Set.of("search"));
    }

    /** The simulated runtime: the management MCP server is present once the reconcile has installed its plugin. */
    private static boolean mcpPresent(WorkspaceRegistry registry, String ws) {
        return registry.installedPlugins(ws).contains(WorkspaceRegistry.MANAGEMENT_PLUGIN);
    }

    /** One heartbeat of {@code ws}, then the per-step invariants. */
    private void beat(WorkspaceRegistry registry, String ws) {
        boolean present = mcpPresent(registry, ws);
        WorkspaceStatus answered = registry.heartbeat(ws, present);
        heartbeats.incrementAndGet();
        WorkspaceStatus stored = registry.status(ws);
        boolean installedNow = mcpPresent(registry, ws);
        long n = ws.equals(CONCIERGE) ? conciergeBeats.incrementAndGet() : -1;
        if (!ws.equals(WORKER) && (answered == WorkspaceStatus.ONLINE || stored == WorkspaceStatus.ONLINE)
                && !(present && installedNow)) {
            violate(ws + " online while its management MCP is absent (beat reported present=" + present + ")");
        }
        if (ws.equals(MODELLESS) && stored != WorkspaceStatus.FAILED) {
            violate(ws + " is " + stored.db() + " without a MODEL secret");
        }
        if (!ws.equals(CONCIERGE) && fires(ws, Trigger.MCP_RECOVERY) > 0) {
            violate(ws + " fired the MCP-recovery reconcile");
        }
        if (ws.equals(CONCIERGE) && answered == WorkspaceStatus.ONLINE
                && onlineAtBeat.compareAndSet(-1, n)) {
            nanosAtOnline.set(System.nanoTime());
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
                fires.computeIfAbsent(ws + "/" + trigger, k -> new LongAdder()).increment();
            }

            @Override
            public void finished(String ws, int installed, Throwable failure) {
                finished.computeIfAbsent(ws, k -> new LongAdder()).increment();
                if (ws.equals(CONCIERGE) && installed > 0 && failure == null
                        && beatsAtConciergeInstall.compareAndSet(-1, conciergeBeats.get())) {
                    nanosAtConciergeInstall.set(System.nanoTime());
                }
            }
        };
    }

    private long fires(String ws, Trigger trigger) {
        LongAdder a = fires.get(ws + "/" + trigger);
        return a == null ? 0 : a.sum();
    }

    private long finished(String ws) {
        LongAdder a = finished.get(ws);
        return a == null ? 0 : a.sum();
    }

    /** Anything that moves the concierge towards online: a fire, a finished reconcile, reaching online. */
    private long recoveryProgress() {
        return fires(CONCIERGE, Trigger.MCP_RECOVERY) + fires(CONCIERGE, Trigger.ONLINE_TRANSITION)
                + finished(CONCIERGE) + (onlineAtBeat.get() >= 0 ? 1 : 0);
    }

    private Observation observe(WorkspaceRegistry registry, Map<String, Registration> registrations,
                                Watchdog.Outcome<Void> recovery, String prefix) {
        long recoveryFires = fires(CONCIERGE, Trigger.MCP_RECOVERY);
        long allFires = recoveryFires + fires(CONCIERGE, Trigger.ONLINE_TRANSITION);
        long beats = conciergeBeats.get();
        boolean online = onlineAtBeat.get() >= 0;
        long beatsAfterInstall = online ? onlineAtBeat.get() - beatsAtConciergeInstall.get() : -1;
        List<String> problems = new ArrayList<>(violations);
        if (!online) {
            problems.add("concierge stayed " + registry.status(CONCIERGE).db() + " over " + beats
                    + " heartbeats with " + allFires + " reconcile fires (" + recovery.describe() + ")");
        } else if (beatsAfterInstall > 2) {
            problems.add("concierge online only " + beatsAfterInstall + " heartbeats after the reconcile finished");
        }
        if (recoveryFires > 1) {
            problems.add("recovery reconcile fired " + recoveryFires + " times within one cooldown window");
        }
        if (registrations.get(CONCIERGE).accepted() || registrations.get(MODELLESS).accepted()
                || !registrations.get(WORKER).accepted()) {
            problems.add("register answered " + registrations);
        }
        String work = beats + " heartbeat rounds × " + WORKSPACES.size() + " workspaces";
        Observation o = problems.isEmpty()
                ? Observation.bugAbsent("concierge online " + beatsAfterInstall + " heartbeat(s) after the recovery"
                        + " reconcile finished (fired once, by register); model-less concierge failed, 0 fires;"
                        + " worker 0 recovery fires; never online without the MCP — " + work)
                : Observation.bugObserved(String.join("; ", problems) + " — " + work);
        o.operations(heartbeats.get())
                .metric("heartbeats", heartbeats.get())
                .metric("conciergeHeartbeats", beats)
                .metric("recoveryFires", recoveryFires)
                .metric("onlineTransitionFires", fires(CONCIERGE, Trigger.ONLINE_TRANSITION))
                .metric("reconcilesFinished", finished(CONCIERGE))
                .metric("invariantViolations", violations.size())
                .evidence("registrations", registrations.toString())
                .evidence("finalStatus", Map.of(CONCIERGE, registry.status(CONCIERGE).db(),
                        MODELLESS, registry.status(MODELLESS).db(), WORKER, registry.status(WORKER).db()))
                .evidence("conciergeInstalled", registry.installedPlugins(CONCIERGE).toString());
        if (online) {
            o.metric("beatsFromReconcileToOnline", beatsAfterInstall)
                    .metric("reconcileToOnlineMillis", (nanosAtOnline.get() - nanosAtConciergeInstall.get()) / 1e6);
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

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
