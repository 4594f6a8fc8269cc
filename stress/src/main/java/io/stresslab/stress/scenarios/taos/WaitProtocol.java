package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The wait-honoured steps of {@link IdempotencySteps}: an owner on store {@code a} is held inside its handler; on
 * store {@code b} a caller with another fingerprint is refused, a caller with a short wait gives up in time with
 * STILL_IN_PROGRESS, and a caller with a long wait is left waiting (its thread parked) until the owner is let go —
 * then it must return the owner's response without running its own handler. A call that hangs past its bound is a
 * violation, never a hang of the check.
 */
final class WaitProtocol {
    private static final Duration SHORT_WAIT = Duration.ofMillis(50);
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    /** How far past its wait a caller may return (the contract allows 5 s). */
    private static final Duration SLACK = Duration.ofSeconds(5);
    private static final StoredResponse OWNERS = new StoredResponse(201, "agent-4");

    private WaitProtocol() {
    }

    static void run(IdempotencyStore a, IdempotencyStore b, IdempotencyKey key, List<String> steps, Findings wrong) {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        AtomicReference<IdempotencySteps.Outcome> owner = new AtomicReference<>();
        Thread ownerThread = Threads.start("taos-wait-owner", () -> owner.set(IdempotencySteps.call(a, key, "fp-1",
                () -> held(entered, letGo), LONG_WAIT)));
        try {
            if (Watchdog.awaitLatch("owner entering its handler", SLACK, entered).timedOut()) {
                wrong.add("once-per-key", "the first call of " + key.key() + " never ran its handler: "
                        + owner.get());
                return;
            }
            expect(steps, wrong, "another fingerprint on b while the owner runs", b, key, "fp-2", SHORT_WAIT,
                    "KEY_REUSED", "key-reused-refused");
            expect(steps, wrong, "b with a " + SHORT_WAIT.toMillis() + " ms wait while the owner runs", b, key,
                    "fp-1", SHORT_WAIT, "STILL_IN_PROGRESS", "wait-honoured");
            AtomicReference<IdempotencySteps.Outcome> waiter = new AtomicReference<>();
            Thread waiterThread = Threads.start("taos-wait-waiter", () -> waiter.set(IdempotencySteps.call(b, key,
                    "fp-1", new StoredResponse(201, "agent-4-2"), LONG_WAIT)));
            Watchdog.awaitCondition("waiter parked", SLACK, () -> parkedOrDone(waiterThread));
            IdempotencySteps.Outcome early = waiter.get();
            letGo.countDown();
            boolean ownerDone = !Watchdog.awaitThread("owner", LONG_WAIT, ownerThread).timedOut();
            boolean waiterDone = !Watchdog.awaitThread("waiter", LONG_WAIT.plus(SLACK), waiterThread).timedOut();
            steps.add("owner of " + key.key() + " on a, held in its handler, then let go → " + owner.get());
            steps.add("b with a " + LONG_WAIT.toSeconds() + " s wait, waiting on the owner → " + waiter.get());
            wrong.check(!ownerDone || !new IdempotencySteps.Outcome(true, "201 agent-4").equals(owner.get()),
                    "once-per-key", () -> "the owner, let go, " + (ownerDone ? owner.get() : "hung"));
            wrong.check(early != null, "wait-honoured", () -> "a caller with a " + LONG_WAIT.toSeconds()
                    + " s wait returned before the owner finished: " + early);
            wrong.check(early == null && (!waiterDone || !new IdempotencySteps.Outcome(false, "201 agent-4")
                    .equals(waiter.get())), "wait-honoured", () -> "the waiting caller "
                    + (waiterDone ? waiter.get() : "hung") + " (the contract: the owner's 201 agent-4)");
        } finally {
            letGo.countDown();
        }
    }

    private static void expect(List<String> steps, Findings wrong, String what, IdempotencyStore store,
                               IdempotencyKey key, String fp, Duration wait, String result, String obligation) {
        AtomicReference<IdempotencySteps.Outcome> seen = new AtomicReference<>();
        Thread t = Threads.start("taos-wait-probe", () -> seen.set(IdempotencySteps.call(store, key, fp,
                new StoredResponse(201, "probe"), wait)));
        boolean done = !Watchdog.awaitThread(what, wait.plus(SLACK), t).timedOut();
        if (!done) {
            t.interrupt();
        }
        IdempotencySteps.Outcome o = seen.get();
        steps.add(what + " → " + (done ? o : "still blocked " + wait.plus(SLACK).toMillis() + " ms later"));
        wrong.check(!done || o.ran() || !o.result().equals(result), obligation, () -> what + ": "
                + (done ? o : "blocked past its wait + " + SLACK.toSeconds() + " s") + " (the contract: "
                + new IdempotencySteps.Outcome(false, result) + ")");
    }

    private static boolean parkedOrDone(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED;
    }

    /** The owner's handler: says it entered, then waits to be let go (bounded), then answers {@link #OWNERS}. */
    private static StoredResponse held(CountDownLatch entered, CountDownLatch letGo) throws InterruptedException {
        entered.countDown();
        letGo.await(LONG_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return OWNERS;
    }
}
