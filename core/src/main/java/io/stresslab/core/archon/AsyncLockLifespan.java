package io.stresslab.core.archon;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * ARCHON-1 after (the fix of Archon PR #909 / #928): an {@link AsyncLock} whose waiters suspend instead of blocking
 * the loop, a double-checked initialization inside it, the context published through volatile fields before the
 * flag ({@link ContextSlot#published()}), and the session's body run <em>outside</em> the lock. A failed
 * initialization publishes nothing and releases the lock, so the next session retries.
 */
public final class AsyncLockLifespan extends SharedContextLifespan {
    private final AsyncLock lock;

    public AsyncLockLifespan(EventLoop loop, ArchonServices services) {
        super(loop, services, ContextSlot.published());
        this.lock = new AsyncLock(loop);
    }

    @Override
    public <T> CompletableFuture<T> session(Function<ArchonContext, ? extends CompletionStage<T>> body) {
        loop.requireInLoop("a session");
        ArchonContext ready = published();
        CompletableFuture<ArchonContext> context = ready != null ? CompletableFuture.completedFuture(ready)
                : lock.acquire().thenCompose(held -> {
                    ArchonContext again = published();
                    CompletableFuture<ArchonContext> init = again != null
                            ? CompletableFuture.completedFuture(again) : initialize();
                    return init.whenComplete((c, failure) -> lock.release());
                });
        return context.thenCompose(body); // the session runs with the lock free
    }
}
