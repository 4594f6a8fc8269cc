package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.concurrent.ManualClock;
import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.SharedIdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Race;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * TAOS-3's lease check, on a hand-moved clock, per key: an owner on instance 0 is held inside its handler (a worker
 * that stalled or died mid-request). 1 ms before its lease ends, a caller on instance 1 must be told the request is in
 * progress and run nothing; once the lease has ended, {@value #CALLERS} callers on instances 1 and 2 race for the key
 * and exactly one of them must run the handler, all getting its response; then the owner is let go and its late
 * completion must be fenced out: it too returns the heir's response, which a fresh caller replays.
 */
final class LeaseTakeover {
    static final Duration LEASE = Duration.ofSeconds(30);
    static final int CALLERS = 4;
    private static final Duration PROBE_WAIT = Duration.ofMillis(20);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private LeaseTakeover() {
    }

    /** Keys tried (stopping at the first that broke an obligation), and what each broken one showed. */
    record Seen(int keys, Findings findings, List<String> transcript) {
    }

    static Seen run(List<SharedIdempotencyStore> stores, ManualClock clock, int keys) throws Exception {
        Findings f = new Findings();
        List<String> transcript = new ArrayList<>();
        int k = 0;
        try (Race race = new Race("taos3-takeover", CALLERS)) {
            for (; k < keys && !f.any(); k++) {
                oneKey(stores, clock, race, IdempotencySteps.key("user", "lease-" + k), f, transcript);
            }
        }
        return new Seen(k, f, transcript);
    }

    private static void oneKey(List<SharedIdempotencyStore> stores, ManualClock clock, Race race, IdempotencyKey key,
                               Findings f, List<String> transcript) {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        AtomicReference<IdempotencySteps.Outcome> owner = new AtomicReference<>();
        Thread t = Threads.start("taos3-stalled-owner", () -> owner.set(IdempotencySteps.call(stores.get(0), key,
                "fp", () -> {
                    entered.countDown();
                    letGo.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                    return new StoredResponse(201, "late-owner");
                }, WAIT)));
        try {
            if (Watchdog.awaitLatch("owner entering its handler", DEADLINE, entered).timedOut()) {
                f.add("once-across-instances", "the first caller of " + key.key() + " never ran: " + owner.get());
                return;
            }
            clock.advance(LEASE.minusMillis(1));
            IdempotencySteps.Outcome early = IdempotencySteps.call(stores.get(1), key, "fp",
                    new StoredResponse(201, "too-early"), PROBE_WAIT);
            f.check(early.ran() || !early.result().equals("STILL_IN_PROGRESS"), "lease-held-until-expiry",
                    () -> key.key() + ", 1 ms before the owner's lease ends, on another instance: " + early);
            clock.advance(Duration.ofMillis(1));
            String heir = heirs(stores, race, key, f);
            letGo.countDown();
            boolean ownerDone = !Watchdog.awaitThread("late owner", DEADLINE, t).timedOut();
            IdempotencySteps.Outcome replay = IdempotencySteps.call(stores.get(stores.size() - 1), key, "fp",
                    new StoredResponse(201, "after"), WAIT);
            transcript.add(key.key() + ": early " + early + "; heir " + heir + "; late owner " + owner.get()
                    + "; replay " + replay);
            f.check(!ownerDone || !owner.get().result().equals(heir) || !replay.result().equals(heir)
                    || replay.ran(), "late-owner-fenced", () -> key.key() + ": the late owner " + (ownerDone
                    ? owner.get() : "hung") + ", and a later caller " + replay + " (the contract: both " + heir + ")");
        } finally {
            letGo.countDown();
        }
    }

    /** {@value #CALLERS} callers race for the expired key; exactly one may run. Returns the heir's response. */
    private static String heirs(List<SharedIdempotencyStore> stores, Race race, IdempotencyKey key, Findings f) {
        AtomicInteger runs = new AtomicInteger();
        List<Callable<IdempotencySteps.Outcome>> heirs = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            SharedIdempotencyStore via = stores.get(1 + c % (stores.size() - 1));
            int caller = c;
            heirs.add(() -> IdempotencySteps.call(via, key, "fp", () -> new StoredResponse(201, "heir-"
                    + runs.incrementAndGet() + "-of-caller-" + caller), WAIT));
        }
        Race.Round<IdempotencySteps.Outcome> round = race.run(DEADLINE, heirs);
        String heir = round.values().stream().filter(o -> o != null && o.ran()).map(IdempotencySteps.Outcome::result)
                .findFirst().orElse("no heir");
        f.check(!round.clean() || runs.get() != 1 || round.values().stream().anyMatch(o -> !o.result().equals(heir)),
                "expired-lease-taken-over-once", () -> key.key() + ": " + runs.get() + " of " + CALLERS + " racing"
                        + " callers ran the handler after the lease ended; they got " + (round.clean()
                        ? round.values() : "hung or failed: " + round.errors()));
        return heir;
    }

    static Findings judge(Seen s) {
        return s.findings();
    }

    static Observation describe(Seen s, Findings f) {
        return f.observe(s.keys() + " keys whose owner stalled in its handler (lease " + LEASE.toSeconds()
                        + " s on a hand-moved clock), probed 1 ms before the lease ended, then raced by " + CALLERS
                        + " callers over two other instances (stopping at the first broken key)",
                "every lease held until it ended, exactly one caller took it over, the late owner was fenced out")
                .operations((long) s.keys() * (CALLERS + 3))
                .evidence("lastKeys", s.transcript().subList(Math.max(0, s.transcript().size() - 3),
                        s.transcript().size()));
    }
}
