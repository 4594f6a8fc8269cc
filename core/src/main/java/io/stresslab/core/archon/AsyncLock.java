package io.stresslab.core.archon;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * ARCHON-1 after's lock: a mutual-exclusion lock for code on one {@link EventLoop}, like {@code asyncio.Lock}: a
 * caller that finds it held gets a future that completes when the lock is handed to it, instead of blocking the loop
 * thread. Not reentrant. Its state is confined to the loop thread, so it needs no synchronization; a release from
 * another thread is forwarded to the loop.
 */
public final class AsyncLock {
    private final EventLoop loop;
    private Queue<CompletableFuture<Void>> waiters; // made by the first caller that has to wait
    private boolean held;

    public AsyncLock(EventLoop loop) {
        this.loop = loop;
    }

    /** Call on the loop. The future completes, on the loop, once the caller holds the lock. */
    public CompletableFuture<Void> acquire() {
        loop.requireInLoop("AsyncLock.acquire");
        if (!held) {
            held = true;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        if (waiters == null) {
            waiters = new ArrayDeque<>();
        }
        waiters.add(turn);
        return turn;
    }

    /** Hands the lock to the longest waiter (its continuation runs as a later loop task), or frees it. */
    public void release() {
        if (!loop.inLoop()) {
            loop.execute(this::release);
            return;
        }
        if (!held) {
            throw new IllegalStateException("AsyncLock is not held");
        }
        CompletableFuture<Void> next = waiters == null ? null : waiters.poll();
        if (next == null) {
            held = false;
        } else {
            loop.execute(() -> next.complete(null)); // ownership passes without the lock ever being free
        }
    }
}
