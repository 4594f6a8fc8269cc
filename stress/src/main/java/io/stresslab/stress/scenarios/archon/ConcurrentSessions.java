package io.stresslab.stress.scenarios.archon;

import io.stresslab.core.archon.ArchonContext;
import io.stresslab.core.archon.EventLoop;
import io.stresslab.core.archon.Lifespan;
import io.stresslab.core.archon.SimulatedArchonServices;
import io.stresslab.core.concurrent.Threads;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * ARCHON-1's {@code twenty-sessions-during-slow-init}, the same for every lifespan: {@value #SESSIONS} client sessions
 * open on one event loop in one burst while the shared context's initialization is slow (a 200 ms health check).
 * Every session stays open until all are ready, then all close. A probe task is posted to the loop every 5 ms by
 * another thread. Judged: all ready within 3 s (a frozen loop is a violation whatever the thread dump shows — the dump
 * is evidence), initialization once, one context, session B ready while A is open, probes ran during the
 * initialization, all sessions closed.
 */
final class ConcurrentSessions {
    static final int SESSIONS = 20;
    static final Duration HEALTH_CHECK = Duration.ofMillis(200);
    static final Duration READY_DEADLINE = Duration.ofSeconds(3);
    private static final Duration PROBE_PERIOD = Duration.ofMillis(5);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private ConcurrentSessions() {
    }

    record Seen(Watchdog.Outcome<Void> allReady, long ready, Watchdog.Outcome<Void> closed, int initializations,
                int distinctContexts, boolean bReadyWhileAOpen, long firstReadyMillis, long probesDuringInit,
                long probes) {
    }

    /** The one place this check waits: every wait goes through the harness watchdog with a deadline. */
    private static Watchdog.Outcome<Void> await(String what, CountDownLatch latch) {
        return Watchdog.awaitLatch(what, READY_DEADLINE, latch);
    }

    /** The sessions of one burst and what they showed. */
    private static final class Burst {
        final CountDownLatch ready = new CountDownLatch(SESSIONS);
        final CountDownLatch closed = new CountDownLatch(SESSIONS);
        final CountDownLatch aClosed = new CountDownLatch(1);
        final CompletableFuture<Void> close = new CompletableFuture<>();
        final AtomicReferenceArray<ArchonContext> contexts = new AtomicReferenceArray<>(SESSIONS);
        final AtomicLong firstReady = new AtomicLong(Long.MAX_VALUE);
        volatile boolean bWhileAOpen;

        /** Opens every session in one loop turn: all enter the lifespan before the health check can complete. */
        void open(EventLoop loop, Lifespan lifespan) {
            loop.execute(() -> {
                for (int i = 0; i < SESSIONS; i++) {
                    int n = i;
                    lifespan.session(context -> {
                        firstReady.accumulateAndGet(System.nanoTime(), Math::min);
                        contexts.set(n, context);
                        if (n == 1 && aClosed.getCount() == 1 && contexts.get(0) != null) {
                            bWhileAOpen = true;
                        }
                        ready.countDown();
                        return close; // the session stays open until the check closes them all
                    }).whenComplete((v, e) -> {
                        if (n == 0) {
                            aClosed.countDown();
                        }
                        closed.countDown();
                    });
                }
            });
        }

        int distinctContexts() {
            Set<ArchonContext> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < SESSIONS; i++) {
                if (contexts.get(i) != null) {
                    distinct.add(contexts.get(i));
                }
            }
            return distinct.size();
        }
    }

    static Seen run(Subject<Lifespan> subject) throws Exception {
        String loopName = "archon-loop-" + RUNS.incrementAndGet();
        EventLoop loop = new EventLoop(loopName);
        SimulatedArchonServices services = new SimulatedArchonServices(loop, HEALTH_CHECK, 0);
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(
                Threads.single(loopName + "-prober"));
        ConcurrentLinkedQueue<Long> probes = new ConcurrentLinkedQueue<>(); // when each probe ran (nanoTime)
        Burst burst = new Burst();
        try {
            Lifespan lifespan = subject.create(Env.of(loop, services));
            prober.scheduleAtFixedRate(() -> loop.execute(() -> probes.add(System.nanoTime())), 0,
                    PROBE_PERIOD.toNanos(), TimeUnit.NANOSECONDS);
            long start = System.nanoTime();
            burst.open(loop, lifespan);
            Watchdog.Outcome<Void> allReady = await(SESSIONS + " sessions ready", burst.ready);
            Watchdog.Outcome<Void> allClosed = null;
            if (allReady.completed()) {
                loop.execute(() -> burst.close.complete(null));
                allClosed = await("all sessions closed", burst.closed);
            }
            long initEnd = burst.firstReady.get();
            return new Seen(allReady, SESSIONS - burst.ready.getCount(), allClosed, services.initializations(),
                    burst.distinctContexts(), burst.bWhileAOpen,
                    initEnd == Long.MAX_VALUE ? -1 : (initEnd - start) / 1_000_000,
                    probes.stream().filter(p -> p > start && p < initEnd).count(), probes.size());
        } finally {
            prober.shutdownNow();
            services.close();
            loop.shutdownNow(); // interrupts a loop thread stuck in an interruptible wait
        }
    }

    static Findings judge(Seen s) {
        return new Findings()
                .check(s.allReady().timedOut(), "loop-never-blocked", () -> "event loop frozen: "
                        + s.allReady().describe() + " (" + s.ready() + " ready)")
                .check(s.firstReadyMillis() >= 0 && s.firstReadyMillis() < HEALTH_CHECK.toMillis(), "health-checked",
                        () -> "the first session was ready " + s.firstReadyMillis() + " ms after it opened, before the "
                                + HEALTH_CHECK.toMillis() + " ms health check could pass")
                .check(s.allReady().completed() && s.firstReadyMillis() >= HEALTH_CHECK.toMillis()
                                && s.probesDuringInit() == 0, "loop-never-blocked",
                        () -> "no probe ran on the loop during the initialization")
                .check(s.initializations() != 1, "init-once", () -> "initialization ran " + s.initializations()
                        + " times")
                .check(s.distinctContexts() > 1, "one-context", () -> s.distinctContexts() + " distinct contexts")
                .check(s.allReady().completed() && !s.bReadyWhileAOpen(), "sessions-overlap",
                        () -> "session B was not ready while session A was open")
                .check(s.closed() != null && s.closed().timedOut(), "sessions-close",
                        () -> s.closed().describe());
    }

    static Observation describe(Seen s, Findings f) {
        Observation o = f.observe(SESSIONS + " sessions opened in one burst during a " + HEALTH_CHECK.toMillis()
                        + " ms initialization", "all ready in " + s.allReady().waited().toMillis() + " ms; init ran"
                        + " once; one context; B ready while A open; " + s.probesDuringInit() + " probes ran during"
                        + " init")
                .operations(SESSIONS)
                .metric("sessionsReady", s.ready())
                .metric("initializations", s.initializations())
                .metric("probesRun", s.probes())
                .metric("probesDuringInit", s.probesDuringInit());
        if (s.allReady().timedOut()) {
            o.metric("detectedAfterMillis", s.allReady().waited().toMillis())
                    .evidence("waits", s.allReady().dump().describeWaits())
                    .evidence("threadDump", s.allReady().dump().toEvidence("archon-"));
        }
        return o;
    }
}
