package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.concurrent.ManualClock;
import io.stresslab.core.db.Database;
import io.stresslab.core.taos.AddAgentService;
import io.stresslab.core.taos.DatabaseIdempotencyStore;
import io.stresslab.core.taos.DatabaseIdempotencyStore.Completed;
import io.stresslab.core.taos.DatabaseIdempotencyStore.Owned;
import io.stresslab.core.taos.IdempotencyException;
import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.ReservingIdempotencyCache;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Watchdog;
import io.stresslab.stress.harness.WorkerPools;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * TAOS-3: an in-memory idempotency cache is per worker. {@value #WORKERS} worker pools on one database (each with its
 * own store instance, stand-ins for worker processes) share the "add agent" load: with TAOS-1's reserving in-memory
 * cache in each worker, every worker that receives a key runs the side effect once more; with {@link DatabaseIdempotencyStore} it runs
 * exactly once per key and every caller gets the same response. A third check abandons a reservation (reserve, never
 * complete — an owner killed mid-request) and shows it is taken over exactly once after its lease, on the injected
 * clock, with the dead owner's late completion fenced out. The {@code worker-jvms-faults} checks run the same two
 * variants in real worker JVMs, with kill -9 ({@link SharedKeysCampaign}).
 */
public final class Taos3Scenario implements Scenario {
    static final int WORKERS = 3;
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration TTL = Duration.ofHours(1);
    private static final Duration PROBE_WAIT = Duration.ofMillis(20);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Supplier<IdempotencyStore> perProcessCache;
    private final String perProcessCacheName;

    /** Each worker's in-memory cache is TAOS-1's fix, {@link ReservingIdempotencyCache}: correct within a process. */
    public Taos3Scenario() {
        this(() -> new ReservingIdempotencyCache(Clock.systemUTC()), "a ReservingIdempotencyCache per worker");
    }

    /** @param perProcessCache a fresh in-memory cache for one worker */
    public Taos3Scenario(Supplier<IdempotencyStore> perProcessCache, String name) {
        this.perProcessCache = Objects.requireNonNull(perProcessCache);
        this.perProcessCacheName = Objects.requireNonNull(name);
    }

    @Override
    public String bug() {
        return "TAOS-3";
    }


    @Override
    public List<CheckSpec> checks() {
        return List.of(
                CheckSpec.onDatabases(bug(), "per-process-cache", Expect.REPRODUCE, Tool.DATABASE,
                        "duplicate-across-workers",
                        ctx -> AddAgentWorkload.run(ctx, WORKERS, ctx.ops(20), true, perProcessCacheName,
                                db -> perProcessCache.get())),
                CheckSpec.onDatabases(bug(), "database-reservation", Expect.HOLD, Tool.DATABASE,
                        "exactly-once-across-workers",
                        ctx -> AddAgentWorkload.run(ctx, WORKERS, ctx.ops(60), false, "a database reservation store per"
                                + " worker", db -> new DatabaseIdempotencyStore(db, new ManualClock(), LEASE, TTL))),
                CheckSpec.onDatabases(bug(), "database-reservation", Expect.HOLD, Tool.DATABASE,
                        "abandoned-lease-takeover", this::abandonedOwners),
                CheckSpec.onDatabases(bug(), "database-reservation", Expect.HOLD, Tool.DATABASE,
                        "simultaneous-takeover", this::simultaneousTakeovers),
                CheckSpec.onDatabases(bug(), SharedKeysWorkload.PER_PROCESS_CACHE, Expect.REPRODUCE,
                        Tool.MULTI_WORKER, "worker-jvms-faults",
                        ctx -> SharedKeysCampaign.run(ctx, SharedKeysWorkload.PER_PROCESS_CACHE)),
                CheckSpec.onDatabases(bug(), SharedKeysWorkload.DATABASE_RESERVATION, Expect.HOLD,
                        Tool.MULTI_WORKER, "worker-jvms-faults",
                        ctx -> SharedKeysCampaign.run(ctx, SharedKeysWorkload.DATABASE_RESERVATION)));
    }

    /**
     * Per key: worker 0 reserves it and dies. A caller with a short wait is told the request is in progress and runs
     * nothing; then {@value AddAgentWorkload#CALLERS} callers on the other workers wait on it, the clock passes the
     * lease, and exactly one of them takes it over: one agent row, one response for all, and the dead owner's late
     * completion is refused.
     */
    private Observation abandonedOwners(CheckContext ctx) throws Exception {
        int keys = ctx.ops(10);
        ManualClock clock = new ManualClock();
        List<String> violations = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(AddAgentWorkload.CALLERS,
                Threads.named("taos-takeover-caller"));
        long t0 = System.nanoTime();
        try (WorkerPools pools = WorkerPools.open(ctx, WORKERS, 4)) {
            List<DatabaseIdempotencyStore> stores = new ArrayList<>();
            List<AddAgentService> services = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                Database db = pools.worker(w);
                stores.add(new DatabaseIdempotencyStore(db, clock, LEASE, TTL));
                services.add(new AddAgentService(db, stores.get(w), clock, DEADLINE));
            }
            AddAgentService impatient = new AddAgentService(pools.worker(1), stores.get(1), clock, PROBE_WAIT);
            for (int k = 0; k < keys && violations.isEmpty(); k++) {
                String name = AddAgentWorkload.name(k);
                IdempotencyKey key = AddAgentService.key("user", "key-" + k);
                Owned dead = (Owned) stores.get(0).reserve(key, AddAgentService.fingerprint(name));

                try {
                    StoredResponse early = impatient.addAgent("user", "key-" + k, name);
                    violations.add("key-" + k + " was taken over before its lease expired: " + early);
                } catch (IdempotencyException e) {
                    if (e.reason() != IdempotencyException.Reason.STILL_IN_PROGRESS) {
                        throw e;
                    }
                    // the live reservation holds
                }

                long polls = pendingPolls(stores);
                List<Future<StoredResponse>> waiting = new ArrayList<>();
                for (int t = 0; t < AddAgentWorkload.CALLERS; t++) {
                    AddAgentService via = services.get(1 + t % (WORKERS - 1));
                    int key0 = k;
                    waiting.add(CompletableFuture.supplyAsync(() -> via.addAgent("user", "key-" + key0, name),
                            callers));
                }
                Watchdog.Outcome<Void> parked = Watchdog.awaitCondition("callers waiting on key-" + k, DEADLINE,
                        () -> pendingPolls(stores) >= polls + AddAgentWorkload.CALLERS);
                clock.advance(LEASE.plusSeconds(1));
                List<String> answers = new ArrayList<>();
                for (Future<StoredResponse> f : waiting) {
                    Watchdog.Outcome<StoredResponse> o = Watchdog.awaitFuture("caller of key-" + k, DEADLINE, f);
                    if (o.timedOut()) {
                        return ConcurrentRounds.hung(ctx, o); // a stranded waiter: the key stayed poisoned
                    }
                    answers.add(o.value() == null ? "failed: " + o.stalledAt() : o.value().toString());
                }
                int rows = AddAgentWorkload.agentRows(pools.worker(0), name);
                if (rows != 1 || answers.stream().distinct().count() != 1) {
                    violations.add("key-" + k + ": " + rows + " agent rows after the takeover; answers " + answers
                            + (parked.timedOut() ? " (callers were not all waiting when the lease expired)" : ""));
                }
                boolean staleAccepted = stores.get(0).complete(dead, new StoredResponse(201, "from the dead owner"));
                Object stored = stores.get(2).reserve(key, AddAgentService.fingerprint(name));
                if (staleAccepted || !(stored instanceof Completed c && answers.get(0).equals(c.response().toString()))) {
                    violations.add("key-" + k + ": the dead owner's late completion was "
                            + (staleAccepted ? "accepted" : "refused") + "; the key now holds " + stored);
                }
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            String work = String.format("%d abandoned keys × %d waiting callers over %d workers (lease %d s on the"
                    + " injected clock)", keys, AddAgentWorkload.CALLERS, WORKERS, LEASE.toSeconds());
            Observation o = violations.isEmpty()
                    ? Observation.bugAbsent("every abandoned reservation held until its lease expired, was then taken"
                            + " over and re-executed exactly once, all callers got one response and the dead owner's"
                            + " late completion was refused; over " + work)
                    : Observation.bugObserved(violations.get(0) + "; over " + work);
            return o.operations((long) keys * (AddAgentWorkload.CALLERS + 2))
                    .metric("keys", keys)
                    .metric("pendingPolls", pendingPolls(stores))
                    .metric("elapsedMillis", millis)
                    .evidence("violations", violations);
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * The takeover's atomicity alone: {@code keys} reservations are abandoned and expire together; then, key by key,
     * {@value AddAgentWorkload#CALLERS} callers spread over the workers try to reserve it at the same instant. The
     * conditional UPDATE on the expired lease must make exactly one of them the owner.
     */
    private Observation simultaneousTakeovers(CheckContext ctx) throws Exception {
        int keys = ctx.ops(150);
        ManualClock clock = new ManualClock();
        try (WorkerPools pools = WorkerPools.open(ctx, WORKERS, 4)) {
            List<DatabaseIdempotencyStore> stores = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                stores.add(new DatabaseIdempotencyStore(pools.worker(w), clock, LEASE, TTL));
            }
            String fingerprint = AddAgentService.fingerprint("x");
            for (int k = 0; k < keys; k++) {
                stores.get(0).reserve(AddAgentService.key("user", "key-" + k), fingerprint);
            }
            clock.advance(LEASE);
            AtomicInteger[] owners = new AtomicInteger[keys];
            Arrays.setAll(owners, i -> new AtomicInteger());
            long t0 = System.nanoTime();
            Watchdog.Outcome<Void> hang = ConcurrentRounds.run("TAOS-3 takeover races", AddAgentWorkload.CALLERS,
                    keys, DEADLINE.multipliedBy(4), (t, k) -> {
                        if (stores.get(t % WORKERS).reserve(AddAgentService.key("user", "key-" + k), fingerprint)
                                instanceof Owned) {
                            owners[k].incrementAndGet();
                        }
                    });
            if (hang != null) {
                return ConcurrentRounds.hung(ctx, hang);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            List<String> bad = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                if (owners[k].get() != 1) {
                    bad.add("key-" + k + ": " + owners[k].get() + " owners");
                }
            }
            String work = String.format("%d expired reservations × %d simultaneous callers over %d workers", keys,
                    AddAgentWorkload.CALLERS, WORKERS);
            Observation o = bad.isEmpty()
                    ? Observation.bugAbsent("every expired reservation was taken over by exactly one caller; over "
                            + work)
                    : Observation.bugObserved(bad.size() + " expired reservation(s) taken over by other than one"
                            + " caller (" + bad.get(0) + "); over " + work);
            return o.operations((long) keys * AddAgentWorkload.CALLERS)
                    .metric("keys", keys)
                    .metric("elapsedMillis", millis)
                    .evidence("badKeys", bad.subList(0, Math.min(bad.size(), 10)));
        }
    }

    private static long pendingPolls(List<DatabaseIdempotencyStore> stores) {
        return stores.stream().mapToLong(DatabaseIdempotencyStore::pendingPolls).sum();
    }
}
