package io.stresslab.core.concurrent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A mutual-exclusion lock that is NOT reentrant, like Python's {@code threading.Lock} and Go's {@code sync.Mutex}:
 * a thread that already holds it and asks again waits forever. The seeds' hangs (ORCH-1, ARCHON-1) depend on exactly
 * that; a {@link java.util.concurrent.locks.ReentrantLock} would let the same thread in and hide them.
 *
 * <p>Built on {@link AbstractQueuedSynchronizer} with an exclusive owner, so thread dumps (and
 * {@link java.lang.management.ThreadMXBean}) name the owner of the lock a thread is parked on — including when the
 * owner is the waiting thread itself.
 */
public final class NonReentrantLock implements Lock {
    private final String name;
    private final Sync sync = new Sync();

    public NonReentrantLock(String name) {
        this.name = name;
    }

    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean tryAcquire(int ignored) {
            if (compareAndSetState(0, 1)) {
                setExclusiveOwnerThread(Thread.currentThread());
                return true;
            }
            return false;
        }

        @Override
        protected boolean tryRelease(int ignored) {
            if (getState() == 0) {
                throw new IllegalMonitorStateException("lock is not held");
            }
            setExclusiveOwnerThread(null);
            setState(0);
            return true;
        }

        @Override
        protected boolean isHeldExclusively() {
            return getExclusiveOwnerThread() == Thread.currentThread();
        }

        Thread owner() {
            return getExclusiveOwnerThread();
        }

        int held() {
            return getState();
        }

        ConditionObject newCondition() {
            return new ConditionObject();
        }
    }

    @Override
    public void lock() {
        sync.acquire(1);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        sync.acquireInterruptibly(1);
    }

    @Override
    public boolean tryLock() {
        return sync.tryAcquire(1);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return sync.tryAcquireNanos(1, unit.toNanos(time));
    }

    /**
     * Releases the lock. Like Python's Lock (and unlike ReentrantLock) any thread may release it; the seeds rely on
     * that only in that the lock is released in the holder's finally.
     */
    @Override
    public void unlock() {
        sync.release(1);
    }

    @Override
    public Condition newCondition() {
        return sync.newCondition();
    }

    public boolean isLocked() {
        return sync.held() == 1;
    }

    /** The thread holding the lock, or null. */
    public Thread owner() {
        return sync.owner();
    }

    @Override
    public String toString() {
        Thread o = sync.owner();
        return "NonReentrantLock[" + name + (o == null ? ", free]" : ", held by " + o.getName() + "]");
    }
}
