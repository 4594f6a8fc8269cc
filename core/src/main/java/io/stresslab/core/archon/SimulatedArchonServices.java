package io.stresslab.core.archon;

import io.stresslab.core.concurrent.Threads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-in services for the lifespan checks: the factories count their calls, and the health check is a slow
 * network call — a timer thread stands for the socket and, after {@code healthCheckDelay}, posts the completion to
 * the event loop (as asyncio would). The first {@code failures} health checks fail.
 */
public final class SimulatedArchonServices implements ArchonServices, AutoCloseable {
    private final EventLoop loop;
    private final Duration healthCheckDelay;
    private final AtomicInteger failuresLeft;
    private final ScheduledExecutorService network = Executors.newSingleThreadScheduledExecutor(
            Threads.single("archon-network"));
    private final AtomicInteger sessionManagers = new AtomicInteger();
    private final AtomicInteger serviceClients = new AtomicInteger();
    private final AtomicInteger healthChecks = new AtomicInteger();

    public SimulatedArchonServices(EventLoop loop, Duration healthCheckDelay, int failures) {
        this.loop = loop;
        this.healthCheckDelay = healthCheckDelay;
        this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public Object newSessionManager() {
        return "session-manager-" + sessionManagers.incrementAndGet();
    }

    @Override
    public Object newServiceClient() {
        return "service-client-" + serviceClients.incrementAndGet();
    }

    @Override
    public CompletableFuture<Void> healthCheck(Object serviceClient) {
        healthChecks.incrementAndGet();
        boolean fail = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        CompletableFuture<Void> done = new CompletableFuture<>();
        network.schedule(() -> loop.execute(() -> {
            if (fail) {
                done.completeExceptionally(new IllegalStateException("health check of " + serviceClient + " failed"));
            } else {
                done.complete(null);
            }
        }), healthCheckDelay.toNanos(), TimeUnit.NANOSECONDS);
        return done;
    }

    /** How many times the initialization ran (session-manager factory calls). */
    public int initializations() {
        return sessionManagers.get();
    }

    public int healthChecks() {
        return healthChecks.get();
    }

    @Override
    public void close() {
        network.shutdownNow();
    }
}
