package io.stresslab.core.archon;

import java.util.concurrent.CompletableFuture;

/**
 * What our two {@link Lifespan}s share: the context slot, the fast path and the initialization (two synchronous
 * factory calls, then the awaited health check). ARCHON-1 is about how entries coordinate:
 * {@link BlockingLockLifespan} (before) and {@link AsyncLockLifespan} (after) share everything else here.
 */
public abstract class SharedContextLifespan implements Lifespan {
    protected final EventLoop loop;
    private final ArchonServices services;
    private final ContextSlot slot;

    protected SharedContextLifespan(EventLoop loop, ArchonServices services, ContextSlot slot) {
        this.loop = loop;
        this.services = services;
        this.slot = slot;
    }

    /** The fast path: the published context, or null while none is (the flag is read first, as in the seed). */
    protected final ArchonContext published() {
        return slot.initialized() ? slot.context() : null;
    }

    /**
     * Initializes the shared context: the two factory calls run synchronously on the caller's (loop) thread, then
     * the health check is awaited; only once it passes is the context published. A failure publishes nothing, so the
     * next entry initializes afresh.
     */
    protected final CompletableFuture<ArchonContext> initialize() {
        try {
            Object sessionManager = services.newSessionManager();
            Object serviceClient = services.newServiceClient();
            return services.healthCheck(serviceClient).thenApply(ok -> {
                ArchonContext context = new ArchonContext(sessionManager, serviceClient);
                slot.publish(context);
                return context;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
