package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.concurrent.ManualClock;
import io.stresslab.core.taos.DatabaseIdempotencyStore;
import io.stresslab.core.taos.SharedIdempotencyStore;
import io.stresslab.stress.harness.Check;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.WorkerPools;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * TAOS-3: an in-memory idempotency cache is per worker, so a retry that lands on another worker runs the side effect
 * again. The contract is {@link SharedIdempotencyStore}; every store faces, with one instance per worker pool (a
 * stand-in for a worker process) on one database: {@link io.stresslab.core.taos.IdempotencyStore}'s contract steps
 * across two instances, the add-agent load over {@value #WORKERS} workers, the lease check (held until expiry, taken
 * over once, late owner fenced) on a hand-moved clock, and worker JVMs with kill -9 and injected faults
 * ({@link SharedKeysCampaign}).
 *
 * @see io.stresslab.core.taos.IdempotencyStore
 */
public final class Taos3Scenario implements Scenario {
    static final int WORKERS = 3;
    private static final String BUG = "TAOS-3";

    @Override
    public String bug() {
        return BUG;
    }

    @Override
    public List<Contract<?>> contracts() {
        return List.of(new Contract<>(BUG, SharedIdempotencyStore.class,
                "(Database, Clock, Duration lease, Duration retention)", List.of(
                Subject.ours(BUG, "per-process-cache", env -> new PerProcessCache(env.get(Clock.class),
                        IdempotencySteps.RETENTION)),
                Subject.ours(BUG, "database-reservation", SharedIdempotencyStore.class,
                        DatabaseIdempotencyStore.class)),
                Taos3Scenario::checks));
    }

    static List<CheckSpec> checks(Subject<SharedIdempotencyStore> s) {
        return List.of(
                CheckSpec.onDatabases(s, Tool.DATABASE, "idempotency-contract-across-instances", Check.of(ctx -> {
                    ManualClock clock = new ManualClock();
                    try (WorkerPools pools = WorkerPools.open(ctx, 2, 4)) {
                        List<SharedIdempotencyStore> two = instances(s, pools, clock);
                        return IdempotencySteps.run(two.get(0), two.get(1), clock);
                    }
                }, IdempotencySteps::judge, IdempotencySteps::describe)).obliges("every IdempotencyStore"
                        + " obligation, alternating between two instances on one database (hand-moved clock)"),
                CheckSpec.onDatabases(s, Tool.DATABASE, "exactly-once-across-workers", Check.of(ctx -> {
                    ManualClock clock = new ManualClock();
                    return AddAgentWorkload.run(ctx, WORKERS, ctx.ops(60), s.variant(),
                            db -> s.create(Env.of(db, clock, LeaseTakeover.LEASE, IdempotencySteps.RETENTION)));
                }, AddAgentWorkload::judge, AddAgentWorkload::describe)).obliges("once-across-instances: one agent row"
                        + " and one response per key over " + WORKERS + " workers"),
                CheckSpec.onDatabases(s, Tool.DATABASE, "abandoned-lease-takeover", Check.of(ctx -> {
                    ManualClock clock = new ManualClock();
                    try (WorkerPools pools = WorkerPools.open(ctx, WORKERS, 4)) {
                        return LeaseTakeover.run(instances(s, pools, clock), clock, ctx.ops(100));
                    }
                }, LeaseTakeover::judge, LeaseTakeover::describe)).obliges("lease-held-until-expiry,"
                        + " expired-lease-taken-over-once, late-owner-fenced (hand-moved clock)"),
                CheckSpec.onDatabases(s, Tool.MULTI_WORKER, "worker-jvms-faults", ctx -> SharedKeysCampaign.run(ctx,
                        s)).obliges("once-across-instances across worker JVMs under kill -9 and injected faults"));
    }

    /** One instance of the store per worker pool, all on {@code clock}. */
    private static List<SharedIdempotencyStore> instances(Subject<SharedIdempotencyStore> s, WorkerPools pools,
                                                          ManualClock clock) throws Exception {
        List<SharedIdempotencyStore> stores = new ArrayList<>();
        for (int w = 0; w < pools.size(); w++) {
            stores.add(s.create(Env.of(pools.worker(w), clock, LeaseTakeover.LEASE, IdempotencySteps.RETENTION)));
        }
        return stores;
    }
}
