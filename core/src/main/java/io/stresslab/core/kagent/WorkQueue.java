package io.stresslab.core.kagent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A controller work queue with controller-runtime's semantics: a key added while already queued is not queued twice;
 * a key added while it is being processed is queued again once {@link #done} is called, so no event is lost and one
 * key is never reconciled by two workers at once. Reconciles are level-triggered: they read the latest desired state,
 * so coalescing a Create with a later Update still reconciles the Create.
 */
public final class WorkQueue<K> implements ReconcileQueue<K> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<K> queue = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private boolean shutDown;

    /** Marks {@code key} as needing a reconcile. */
    @Override
    public void add(K key) {
        lock.lock();
        try {
            if (shutDown || !dirty.add(key)) {
                return;
            }
            if (!processing.contains(key)) {
                queue.addLast(key);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes the next key to process, or null if none arrives within {@code wait} or the queue is shut down. */
    public K take(Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (shutDown || nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return claim();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the next key without waiting, or null. */
    @Override
    public K poll() {
        lock.lock();
        try {
            return queue.isEmpty() ? null : claim();
        } finally {
            lock.unlock();
        }
    }

    private K claim() {
        K key = queue.pollFirst();
        dirty.remove(key);
        processing.add(key);
        return key;
    }

    /** Ends the processing of {@code key}; if it was added meanwhile it is queued again. */
    @Override
    public void done(K key) {
        lock.lock();
        try {
            if (processing.remove(key) && dirty.contains(key)) {
                queue.addLast(key);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting keys and wakes waiting workers. */
    public void shutDown() {
        lock.lock();
        try {
            shutDown = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
