package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.taos.AgentTokenStore;
import io.stresslab.core.taos.LockedRotateTokenStore;
import io.stresslab.core.taos.SerializedTokenStore;
import io.stresslab.core.taos.TokenTable;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.ConcurrentRounds;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Watchdog;
import io.stresslab.stress.harness.WorkerPools;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * TAOS-2: a per-process lock cannot stop two workers issuing two active tokens. The contract is
 * {@link AgentTokenStore}; every store faces, on each token table (with and without the one-active-token index):
 * {@value #WORKERS} instances, each on its own connection pool, racing {@code issue} then {@code rotate} on one agent
 * per round while a reader samples the table ({@link TokenTally} judges), and worker JVMs under kill -9 and injected
 * faults ({@link TokenRaceCampaign}). The same workload and judge for every store; every run stops at the first
 * sighting.
 */
public final class Taos2Scenario implements Scenario {
    static final int WORKERS = 4;
    private static final String BUG = "TAOS-2";
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @Override
    public String bug() {
        return BUG;
    }

    @Override
    public List<Contract<?>> contracts() {
        return List.of(new Contract<>(BUG, AgentTokenStore.class, "(Database, TokenTable, Clock)", List.of(
                Subject.ours(BUG, "in-process-lock", AgentTokenStore.class, LockedRotateTokenStore.class),
                Subject.ours(BUG, "serialized-per-agent", AgentTokenStore.class, SerializedTokenStore.class)),
                Taos2Scenario::checks));
    }

    static List<CheckSpec> checks(Subject<AgentTokenStore> s) {
        List<CheckSpec> checks = new ArrayList<>();
        for (TokenTable table : TokenTable.values()) {
            String schema = table == TokenTable.WITH_ACTIVE_INDEX ? "with-index" : "without-index";
            checks.add(CheckSpec.onDatabases(s, Tool.DATABASE, "one-active-token-" + schema, ctx -> race(ctx, s, table))
                    .obliges("one-active-token, issue-refuses-while-active, rotate-serializes, typed-errors-only,"
                            + " tokens-valid; " + WORKERS + " instances racing per agent, table " + schema));
            checks.add(CheckSpec.onDatabases(s, Tool.MULTI_WORKER, "worker-jvms-faults-" + schema,
                    ctx -> TokenRaceCampaign.run(ctx, s, table)).obliges("one-active-token, changes-ordered,"
                    + " typed-errors-only, rotate-serializes across worker JVMs under faults, table " + schema));
        }
        return checks;
    }

    /**
     * Round r races all instances on agent {@code agent-r}: each calls {@code issue} (exactly one may win) and then
     * {@code rotate}. Stops at the first sighting: two active tokens, a second issue winner, a refused rotation or a
     * raw error.
     */
    private static Observation race(CheckContext ctx, Subject<AgentTokenStore> s, TokenTable table) throws Exception {
        int rounds = ctx.ops(300);
        try (WorkerPools workers = WorkerPools.open(ctx, WORKERS, 4)) {
            List<AgentTokenStore> stores = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                stores.add(s.create(Env.of(workers.worker(w), table, Clock.systemUTC())));
            }
            TokenTally tally = new TokenTally(rounds);
            long t0 = System.nanoTime();
            Watchdog.Outcome<Void> hang;
            try (ActiveTokenSampler sampler = ActiveTokenSampler.start(workers.worker(0), table)) {
                hang = ConcurrentRounds.run("TAOS-2 token races", WORKERS, rounds, DEADLINE, (w, round) -> {
                    if (tally.sighted() || sampler.firstRows.get() != null) {
                        return;
                    }
                    String agent = "agent-" + round;
                    AgentTokenStore store = stores.get(w);
                    tally.call(round, t0, false, () -> store.issue(agent)).ifPresent(x -> tally.issueWon(round));
                    tally.call(round, t0, true, () -> store.rotate(agent));
                });
                tally.samples = sampler.samples.sum();
                tally.sighting = sampler.sighting(t0);
            }
            if (hang != null) {
                return ConcurrentRounds.hung(hang);
            }
            return tally.describe(tally.judge(workers.worker(0), table, stores.get(0)), table,
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
