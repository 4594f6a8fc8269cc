package io.stresslab.stress.harness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stresslab.core.archon.EventLoop;
import io.stresslab.core.concurrent.NonReentrantLock;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watchdog ends a wait early when a deadlock forms, and only then. */
class WatchdogFormationTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @BeforeEach
    void threadsOfEarlierTestsAreNotWatched() {
        FormationSampler.beginCheck();
    }

    @Test
    void selfWaitOnANonReentrantLockEndsTheWaitBeforeItsDeadline() {
        NonReentrantLock lock = new NonReentrantLock("t");
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> new Thread(r, "fs-self"));
        try {
            Future<?> f = ex.submit(() -> {
                lock.lock();
                try {
                    lock.lockInterruptibly();
                } catch (InterruptedException e) {
                    lock.unlock();
                }
            });
            Watchdog.Outcome<?> o = Watchdog.awaitFuture("self-wait", DEADLINE, f);
            assertTrue(o.formedEarly(), o::describe);
            assertTrue(o.stalledAt().startsWith("self-wait formed"), o::describe);
            assertTrue(o.dump().waitEdges().stream().anyMatch(e -> e.selfWait() && e.waiter().equals("fs-self")));
            f.cancel(true);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void lockOrderCycleIsReportedAsACycle() throws Exception {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch both = new CountDownLatch(2);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            Future<?> f1 = ex.submit(() -> cross(a, b, both));
            Future<?> f2 = ex.submit(() -> cross(b, a, both));
            Watchdog.Outcome<?> o = Watchdog.awaitFuture("cycle", DEADLINE, f1);
            assertTrue(o.formedEarly(), o::describe);
            assertTrue(o.stalledAt().startsWith("waits-for cycle formed"), o::describe);
            f1.cancel(true);
            f2.cancel(true);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void waitingForALockHeldAcrossASocketReadIsReported() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            Thread reader = new Thread(() -> {
                lock.lock();
                try (InputStream in = client.getInputStream()) {
                    held.countDown();
                    in.read(); // the peer never writes
                } catch (Exception ignored) {
                    // closed by the test
                } finally {
                    lock.unlock();
                }
            }, "fs-reader");
            reader.start();
            assertTrue(held.await(10, TimeUnit.SECONDS));
            Thread waiter = new Thread(lock::lock, "fs-waiter");
            waiter.setDaemon(true);
            waiter.start();
            Watchdog.Outcome<Void> o = Watchdog.awaitThread("waiter", DEADLINE, waiter);
            assertTrue(o.formedEarly(), o::describe);
            assertTrue(o.stalledAt().startsWith("lock held across I/O formed"), o::describe);
            client.close();
            reader.join(10_000);
            waiter.join(10_000);
        }
    }

    @Test
    void aTimedWaitOnAHeldLockIsNotAFinding() {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        try {
            Thread t = new Thread(() -> {
                try {
                    lock.tryLock(300, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "fs-timed");
            t.start();
            Watchdog.Outcome<Void> o = Watchdog.awaitThread("timed waiter", DEADLINE, t);
            assertTrue(o.completed(), o::describe);
            assertFalse(o.formedEarly());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void anEventLoopWaitingOnAFutureOnlyItCouldCompleteIsReported() {
        EventLoop loop = new EventLoop("fs-loop");
        try {
            CompletableFuture<Void> ran = new CompletableFuture<>();
            loop.execute(() -> {
                CompletableFuture<Void> later = new CompletableFuture<>();
                loop.execute(() -> later.complete(null)); // queued behind the task that waits for it
                later.join();
                ran.complete(null);
            });
            Watchdog.Outcome<Void> o = Watchdog.awaitFuture("loop task", DEADLINE, ran);
            assertTrue(o.formedEarly(), o::describe);
            assertTrue(o.stalledAt().startsWith("event loop blocked formed"), o::describe);
            assertTrue(o.stalledAt().contains("\"fs-loop\""), o::describe);
        } finally {
            loop.shutdownNow();
        }
    }

    @Test
    void anIdleEventLoopOrOneInATimedWaitIsNotAFinding() {
        EventLoop loop = new EventLoop("fs-idle-loop");
        try {
            CompletableFuture<Void> ran = new CompletableFuture<>();
            loop.execute(() -> { // a timed wait heals itself; then the loop idles while the wait goes on
                try {
                    new CountDownLatch(1).await(300, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            loop.execute(() -> ran.complete(null));
            Watchdog.Outcome<Void> o = Watchdog.awaitFuture("loop tasks", DEADLINE, ran);
            assertTrue(o.completed(), o::describe);
            Watchdog.Outcome<Void> idle = Watchdog.awaitCondition("an idle loop", Duration.ofMillis(400), () -> false);
            assertFalse(idle.formedEarly(), idle::describe);
        } finally {
            loop.shutdownNow();
        }
    }

    private static void cross(ReentrantLock first, ReentrantLock second, CountDownLatch both) {
        first.lock();
        try {
            both.countDown();
            both.await();
            second.lockInterruptibly();
            second.unlock();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            first.unlock();
        }
    }
}
