package io.stresslab.bench.archon;

import io.stresslab.core.archon.ArchonContext;
import io.stresslab.core.archon.AsyncLockLifespan;
import io.stresslab.core.archon.BlockingLockLifespan;
import io.stresslab.core.archon.EventLoop;
import io.stresslab.core.archon.Lifespan;
import io.stresslab.core.archon.SimulatedArchonServices;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ARCHON-1: sessions opened per second on the lifespan's {@link EventLoop}. Each operation posts one session to the
 * loop from the benchmark thread and waits until its body has run with the shared context and the session has exited.
 * <ul>
 *   <li>{@link #warmSession}: the context is already published, the steady state of a running server — both
 *   lifespans take the fast path (plain fields before, volatile after).</li>
 *   <li>{@link #coldSession}: a fresh lifespan per session, so every session initializes: takes the lock, runs the
 *   two factories, awaits the health check (0 ms here: one hop through the simulated network thread back to the
 *   loop), publishes, and releases.</li>
 * </ul>
 * The {@code ceiling} is the bare loop round trip: post a task that completes the caller's future.
 *
 * <p><b>What cannot be measured.</b> The catalogue's harm — the before lifespan runs the whole session inside a
 * blocking lock, so sessions that arrive during initialization are serialized behind it — cannot be turned into a
 * rate here: the core model is asyncio's single-thread loop ({@code Lifespan.session} must run on the loop thread,
 * and {@code EventLoop} has exactly one), and on it a second session that misses the fast path while the first is
 * still open does not wait, it freezes the loop for good (it blocks the only thread that could ever release the
 * lock). A multi-thread loop would need a benchmark-only copy of the lifespan, which this module does not keep.
 * Concurrent sessions are therefore measured as a liveness outcome by the ARCHON-1 check (20 sessions during a
 * 200 ms initialization: after, all ready in about the health-check time; before, the loop frozen), and here only
 * one session at a time, where both variants complete.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionOpenBenchmark {
    @Param({"blocking-lock", "async-lock", "ceiling"})
    public String variant;

    private EventLoop loop;
    private SimulatedArchonServices services;
    private Lifespan warm;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        loop = new EventLoop("bench-archon-loop");
        services = new SimulatedArchonServices(loop, Duration.ZERO, 0);
        warm = newLifespan();
        open(warm); // publishes the shared context
    }

    private Lifespan newLifespan() {
        return switch (variant) {
            case "blocking-lock" -> new BlockingLockLifespan(loop, services);
            case "async-lock" -> new AsyncLockLifespan(loop, services);
            case "ceiling" -> null;
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    /** One session on the loop (or, for the ceiling, one bare round trip); its context. */
    private Object open(Lifespan lifespan) throws Exception {
        CompletableFuture<Object> done = new CompletableFuture<>();
        loop.execute(() -> {
            if (lifespan == null) {
                done.complete(loop);
                return;
            }
            lifespan.<ArchonContext>session(CompletableFuture::completedFuture).whenComplete((context, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    done.complete(context);
                }
            });
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    public Object warmSession() throws Exception {
        return open(warm);
    }

    @Benchmark
    public Object coldSession() throws Exception {
        return open(newLifespan());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        services.close();
        loop.shutdownNow();
    }
}
