package io.stresslab.stress.scenarios.archon;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.archon.ArchonContext;
import io.stresslab.core.archon.ArchonServices;
import io.stresslab.core.archon.EventLoop;
import io.stresslab.core.archon.Lifespan;
import io.stresslab.core.archon.SimulatedArchonServices;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.ThreadDump;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
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
import java.util.function.BiFunction;

/**
 * The ARCHON-1 liveness workload, the same for both lifespans: {@value #SESSIONS} client sessions open on one event
 * loop, in one burst, while the shared context's initialization is slow (a 200 ms health check). Every session stays
 * open until all are ready, then all close. A probe task is posted to the loop every 5 ms by another thread and
 * records how long it waited to run. Every wait is bounded by the {@link Watchdog}.
 *
 * <p>The bug is observed when the sessions are not all ready by the deadline (the frozen loop) — the thread dump must
 * then show why: the loop thread waiting on the initialization lock it holds itself, for session A — or when an
 * invariant breaks: initialization not exactly once, sessions holding different contexts, session B not ready while
 * A is open, or no probe running on the loop during initialization.
 */
final class ConcurrentSessions {
    static final int SESSIONS = 20;
    static final Duration HEALTH_CHECK = Duration.ofMillis(200);
    static final Duration READY_DEADLINE = Duration.ofSeconds(3);
    private static final Duration PROBE_PERIOD = Duration.ofMillis(5);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private ConcurrentSessions() {
    }

    static Observation run(BiFunction<EventLoop, ArchonServices, Lifespan> lifespanOf) {
        String loopName = "archon-loop-" + RUNS.incrementAndGet();
        EventLoop loop = new EventLoop(loopName);
        SimulatedArchonServices services = new SimulatedArchonServices(loop, HEALTH_CHECK, 0);
        Lifespan lifespan = lifespanOf.apply(loop, services);
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(
                Threads.single(loopName + "-prober"));
        ConcurrentLinkedQueue<long[]> probes = new ConcurrentLinkedQueue<>(); // {ranAt, delay} in nanos
        CountDownLatch ready = new CountDownLatch(SESSIONS);
        CompletableFuture<Void> close = new CompletableFuture<>();
        AtomicReferenceArray<CompletableFuture<Void>> sessions = new AtomicReferenceArray<>(SESSIONS);
        AtomicReferenceArray<ArchonContext> contexts = new AtomicReferenceArray<>(SESSIONS);
        long[] readyAt = new long[SESSIONS];
        AtomicLong bReadyWhileAOpen = new AtomicLong(-1); // 1 yes, 0 no, -1 B never ready
        try {
            prober.scheduleAtFixedRate(() -> {
                long posted = System.nanoTime();
                loop.execute(() -> {
                    long now = System.nanoTime();
                    probes.add(new long[] {now, now - posted});
                });
            }, 0, PROBE_PERIOD.toNanos(), TimeUnit.NANOSECONDS);
            long start = System.nanoTime();
            // one burst of connections, accepted in one loop turn: every session enters the lifespan before the
            // health check's completion can be queued, whatever the scheduler does to this thread
            loop.execute(() -> {
                for (int i = 0; i < SESSIONS; i++) {
                    int n = i;
                    sessions.set(n, lifespan.session(context -> {
                        readyAt[n] = System.nanoTime();
                        contexts.set(n, context);
                        if (n == 1) {
                            CompletableFuture<Void> a = sessions.get(0);
                            bReadyWhileAOpen.set(a != null && !a.isDone() && contexts.get(0) != null ? 1 : 0);
                        }
                        ready.countDown();
                        return close; // the session stays open until the check closes them all
                    }));
                }
            });
            Watchdog.Outcome<Void> allReady = Watchdog.awaitLatch(SESSIONS + " sessions ready", READY_DEADLINE,
                    ready);
            if (allReady.timedOut()) {
                return frozen(loop, loopName, allReady, SESSIONS - ready.getCount(), services, probes, start);
            }
            loop.execute(() -> close.complete(null));
            Watchdog.Outcome<Void> closed = Watchdog.awaitFuture("all sessions closed", READY_DEADLINE,
                    CompletableFuture.allOf(all(sessions)));
            return healthy(allReady, closed, services, contexts, readyAt, start, bReadyWhileAOpen.get(), probes);
        } finally {
            prober.shutdownNow();
            services.close();
            loop.shutdownNow();
        }
    }

    /** The sessions never all became ready: the thread dump must show the loop blocked on its own lock. */
    private static Observation frozen(EventLoop loop, String loopName, Watchdog.Outcome<Void> allReady,
                                      long sessionsReady, SimulatedArchonServices services,
                                      ConcurrentLinkedQueue<long[]> probes, long start) {
        ThreadDump dump = allReady.dump();
        List<ThreadDump.WaitEdge> loopWaits = dump.waitEdges().stream()
                .filter(e -> e.waiter().equals(loopName)).toList();
        boolean onOwnLock = loopWaits.stream().anyMatch(e -> e.selfWait() && e.lock().contains("NonReentrantLock"));
        long lastProbe = probes.stream().mapToLong(p -> p[0]).max().orElse(start);
        long silence = (System.nanoTime() - lastProbe) / 1_000_000;
        loop.shutdownNow(); // interrupts the loop thread out of its lock wait
        Watchdog.Outcome<Void> cleanup = Watchdog.awaitCondition("frozen loop thread ends after interrupt",
                Duration.ofSeconds(2), loop::isTerminated);
        if (!onOwnLock) {
            throw new IllegalStateException("the sessions froze, but not on the loop's initialization lock: "
                    + dump.describeWaits());
        }
        return Observation.bugObserved("event loop frozen: " + allReady.describe() + "; " + loopName
                        + " waits for the initialization lock it holds itself (for session A, suspended at the"
                        + " health check)")
                .operations(SESSIONS)
                .metric("detectedAfterMillis", allReady.waited().toMillis())
                .metric("sessionsReady", sessionsReady)
                .metric("initializations", services.initializations())
                .metric("probesRun", probes.size())
                .metric("probeSilenceAtDeadlineMillis", silence)
                .evidence("threadDump", dump.toEvidence("archon-"))
                .evidence("cleanup", cleanup.describe());
    }

    private static Observation healthy(Watchdog.Outcome<Void> allReady, Watchdog.Outcome<Void> closed,
                                       SimulatedArchonServices services,
                                       AtomicReferenceArray<ArchonContext> contexts, long[] readyAt, long start,
                                       long bWhileA, ConcurrentLinkedQueue<long[]> probes) {
        Set<ArchonContext> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < SESSIONS; i++) {
            distinct.add(contexts.get(i));
        }
        long firstReady = Arrays.stream(readyAt).min().orElse(start);
        long allReadyAt = Arrays.stream(readyAt).max().orElse(start);
        long probesDuringInit = probes.stream().filter(p -> p[0] > start && p[0] < firstReady).count();
        long[] delays = probes.stream().mapToLong(p -> p[1]).sorted().toArray();
        List<String> broken = new ArrayList<>();
        if (services.initializations() != 1) {
            broken.add("initialization ran " + services.initializations() + " times");
        }
        if (distinct.size() != 1) {
            broken.add(distinct.size() + " distinct contexts");
        }
        if (bWhileA != 1) {
            broken.add("session B was not ready while session A was open");
        }
        if (probesDuringInit == 0) {
            broken.add("no probe ran on the loop during initialization");
        }
        if (closed.timedOut()) {
            broken.add("sessions did not close: " + closed.describe());
        }
        double allReadyMillis = (allReadyAt - start) / 1e6;
        String work = SESSIONS + " sessions during a " + HEALTH_CHECK.toMillis() + " ms initialization";
        Observation o = broken.isEmpty()
                ? Observation.bugAbsent("all " + work + " ready in " + Math.round(allReadyMillis)
                        + " ms; init ran once; one shared context; B ready while A open; " + probesDuringInit
                                + " probes ran on the loop during init (max delay " + percentileMicros(delays, 1.0)
                        + " µs)")
                : Observation.bugObserved(work + ": " + String.join("; ", broken));
        return o.operations(SESSIONS)
                .metric("timeToAllReadyMillis", allReadyMillis)
                .metric("timeToFirstReadyMillis", (firstReady - start) / 1e6)
                .metric("initializations", services.initializations())
                .metric("healthChecks", services.healthChecks())
                .metric("distinctContexts", distinct.size())
                .metric("probesRun", delays.length)
                .metric("probesDuringInit", probesDuringInit)
                .metric("probeDelayP50Micros", percentileMicros(delays, 0.5))
                .metric("probeDelayP99Micros", percentileMicros(delays, 0.99))
                .metric("probeDelayMaxMicros", percentileMicros(delays, 1.0))
                .evidence("allReady", allReady.describe());
    }

    /** The {@code q}-quantile of sorted nanosecond delays, in microseconds (0 if none). */
    private static long percentileMicros(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        return sortedNanos[(int) Math.min(sortedNanos.length - 1, Math.floor(sortedNanos.length * q))] / 1000;
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<Void>[] all(AtomicReferenceArray<CompletableFuture<Void>> sessions) {
        CompletableFuture<Void>[] out = new CompletableFuture[sessions.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = sessions.get(i) == null ? CompletableFuture.failedFuture(new IllegalStateException(
                    "session " + i + " never opened")) : sessions.get(i);
        }
        return out;
    }
}
