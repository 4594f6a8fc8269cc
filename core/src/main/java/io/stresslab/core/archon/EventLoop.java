package io.stresslab.core.archon;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A single-threaded event loop, the Java model of the asyncio loop an MCP server runs its SSE sessions on: every task
 * and every continuation of a session runs on the one loop thread, so a task that blocks that thread stops them all.
 */
public final class EventLoop implements Executor, AutoCloseable {
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private final ExecutorService executor;

    /** Starts a loop whose thread is named {@code name}. */
    public EventLoop(String name) {
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread.set(t);
            return t;
        });
    }

    /** Schedules {@code task} to run on the loop thread after the tasks already queued. */
    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    /** Whether the calling thread is this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread.get();
    }

    /** Fails unless called on the loop thread (what asyncio code may assume about itself). */
    public void requireInLoop(String what) {
        if (!inLoop()) {
            throw new IllegalStateException(what + " must run on the event loop thread");
        }
    }

    /**
     * Stops the loop: queued tasks are dropped and the loop thread is interrupted, which also frees it from an
     * interruptible blocking wait. Returns the dropped tasks.
     */
    public List<Runnable> shutdownNow() {
        return executor.shutdownNow();
    }

    /** Lets queued tasks finish, then ends the loop thread. */
    @Override
    public void close() {
        executor.shutdown();
    }
}
