package io.stresslab.core.archon;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The MCP server's lifespan, entered once per client session: the first entry initializes the process-wide shared
 * context (two synchronous factory calls, then the awaited health check), later entries reuse it. A session is an
 * asynchronous task on the {@link EventLoop}: {@link #session} enters the lifespan, runs the session's body with the
 * context (Python's {@code yield}) and exits when the body's future completes. ARCHON-1 is about how entries
 * coordinate: {@link BlockingLockLifespan} (before) and {@link AsyncLockLifespan} (after) share everything else here.
 */
public abstract class Lifespan {
    protected final EventLoop loop;
    private final ArchonServices services;
    private final ContextSlot slot;

    protected Lifespan(EventLoop loop, ArchonServices services, ContextSlot slot) {
        this.loop = loop;
        this.services = services;
        this.slot = slot;
    }

    /**
     * Runs one session on the loop; call it on the loop thread. The future completes when the session has exited the
     * lifespan (with the body's result), or fails if the shared context could not be initialized.
     */
    public abstract <T> CompletableFuture<T> session(Function<ArchonContext, ? extends CompletionStage<T>> body);

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
