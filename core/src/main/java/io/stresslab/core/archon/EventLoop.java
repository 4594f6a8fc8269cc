package io.stresslab.core.archon;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A single-threaded event loop, the Java model of the asyncio loop an MCP server runs its SSE sessions on: every task
 * and every continuation of a session runs on the one loop thread, so a task that blocks that thread stops them all.
 */
public final class EventLoop implements Executor, AutoCloseable {
    /** The ids of every live loop thread, so a watchdog can tell a blocked loop from any other waiting thread. */
    private static final Set<Long> LOOP_THREADS = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private final ExecutorService executor;

    /** Starts a loop whose thread is named {@code name}. */
    public EventLoop(String name) {
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(() -> {
                LOOP_THREADS.add(Thread.currentThread().getId());
                try {
                    r.run();
                } finally {
                    LOOP_THREADS.remove(Thread.currentThread().getId());
                }
            }, name);
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

    /** Whether the thread with this id is some live event loop's thread. */
    public static boolean isLoopThread(long threadId) {
        return LOOP_THREADS.contains(threadId);
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
