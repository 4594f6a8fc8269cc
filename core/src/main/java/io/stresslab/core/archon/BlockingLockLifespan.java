package io.stresslab.core.archon;

import io.stresslab.core.concurrent.NonReentrantLock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * ARCHON-1 before (Archon PR #909's starting point): a blocking, non-reentrant lock ({@code threading.Lock}) taken
 * on the event-loop thread around a double-checked initialization that includes the awaited health check, with the
 * session's body run while the lock is still held ("yield inside the lock"). Session A takes the lock and suspends at
 * the health check; session B misses the fast path and blocks the loop thread on the lock, so A's continuation — queued
 * on that very loop — never runs and the server freezes.
 *
 * <p>The context lives in plain fields ({@link ContextSlot#plain()}), as the Python globals do. The acquire is
 * interruptible only so that a check can free the frozen loop afterwards ({@link EventLoop#shutdownNow}).
 */
public final class BlockingLockLifespan extends SharedContextLifespan {
    private final NonReentrantLock lock = new NonReentrantLock("archon-initialization-lock");

    public BlockingLockLifespan(EventLoop loop, ArchonServices services) {
        super(loop, services, ContextSlot.plain());
    }

    @Override
    public <T> CompletableFuture<T> session(Function<ArchonContext, ? extends CompletionStage<T>> body) {
        loop.requireInLoop("a session");
        ArchonContext ready = published();
        if (ready != null) {
            return CompletableFuture.completedFuture(ready).thenCompose(body);
        }
        try {
            lock.lockInterruptibly(); // blocks the loop thread while another session holds the lock
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        ArchonContext again = published();
        CompletableFuture<ArchonContext> context = again != null ? CompletableFuture.completedFuture(again)
                : initialize();
        // the lock is released only when the session exits: the body runs inside it
        return context.<T>thenCompose(body).whenComplete((result, failure) -> lock.unlock());
    }

}
