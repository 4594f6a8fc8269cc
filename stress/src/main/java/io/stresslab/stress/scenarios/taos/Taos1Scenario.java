package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.concurrent.ManualClock;
import io.stresslab.core.db.Database;
import io.stresslab.core.taos.GetThenSetIdempotencyCache;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.ReservingIdempotencyCache;
import io.stresslab.stress.harness.Check;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.JcstressChecks;
import io.stresslab.stress.harness.LincheckRunner;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.UserImplementations;
import java.lang.reflect.Constructor;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * TAOS-1 (seed 004, taOS issue #452): the idempotency cache's get and set each lock on their own with the handler in
 * between, so a retry arriving mid-execution creates a second agent. The contract is {@link IdempotencyStore}; every
 * store faces the deterministic contract steps (hand-moved clock), real threads over many keys, jcstress (a request
 * and its retry), Lincheck (against a sequential store) and the add-agent service on H2 and PostgreSQL.
 */
public final class Taos1Scenario implements Scenario {
    private static final String BUG = "TAOS-1";

    @Override
    public String bug() {
        return BUG;
    }

    @Override
    public List<Contract<?>> contracts() {
        return List.of(new Contract<>(BUG, IdempotencyStore.class, "(Clock, Duration retention), (Clock) or ()",
                List.of(Subject.ours(BUG, "get-then-set", IdempotencyStore.class, GetThenSetIdempotencyCache.class),
                        Subject.ours(BUG, "atomic-reservation", IdempotencyStore.class,
                                ReservingIdempotencyCache.class)),
                Taos1Scenario::checks));
    }

    static List<CheckSpec> checks(Subject<IdempotencyStore> s) {
        return List.of(
                CheckSpec.inMemory(s, Tool.THREADS, "idempotency-contract", inMemory(s, Check.of(ctx -> {
                    ManualClock clock = new ManualClock();
                    IdempotencyStore store = s.create(Env.of(clock, IdempotencySteps.RETENTION));
                    return IdempotencySteps.run(store, store, clock);
                }, IdempotencySteps::judge, IdempotencySteps::describe))).obliges("key-reused-refused,"
                        + " replay-until-retention, runs-again-after-retention, handler-failure-released,"
                        + " wait-honoured, keys-independent (hand-moved clock)"),
                CheckSpec.inMemory(s, Tool.THREADS, "concurrent-retries", inMemory(s, Check.of(ctx -> ConcurrentRetries
                                .run(ctx, s.create(Env.of(Clock.systemUTC(), IdempotencySteps.RETENTION))),
                        ConcurrentRetries::judge, ConcurrentRetries::describe)))
                        .obliges("once-per-key: " + ConcurrentRetries.CALLERS + " concurrent callers per key"),
                CheckSpec.inMemory(s, Tool.JCSTRESS, "two-callers-one-key", inMemory(s, ctx -> JcstressChecks
                                .forbidden(ctx, s, IdempotencyJcstress.class, "pairs of a request and its retry")))
                        .obliges("once-per-key under the JMM"),
                CheckSpec.inMemory(s, Tool.LINCHECK, "model-checking", inMemory(s, ctx -> lincheck(ctx, s)))
                        .obliges("once-per-key and replay, linearizable against a sequential store"),
                CheckSpec.onDatabases(s, Tool.DATABASE, "one-agent-row-per-key", Check.of(ctx -> AddAgentWorkload
                                .run(ctx, 1, ctx.ops(300), s.variant(), db -> s.create(Env.of(db, Clock.systemUTC(),
                                        IdempotencySteps.RETENTION))), AddAgentWorkload::judge,
                                AddAgentWorkload::describe))
                        .obliges("once-per-key through the add-agent service: one agent row and one response per key"));
    }

    private static Observation lincheck(CheckContext ctx, Subject<IdempotencyStore> s) {
        LincheckRunner.Config config = LincheckRunner.Config.modelChecking().invocationsPerIteration(200)
                .scaled(ctx.settings()).sequentialSpecification(IdempotencyLincheck.Spec.class);
        LincheckRunner.Result r = LincheckRunner.checkFor(s, IdempotencyLincheck.class, config);
        return LincheckRunner.observe(r, "a request and its retries on two keys", "the sequential store");
    }

    /** The in-memory checks supply a clock and a retention, no database: a store that needs one is not applicable. */
    private static CheckSpec.CheckBody inMemory(Subject<?> s, CheckSpec.CheckBody body) {
        return ctx -> {
            if (s.className() != null && Arrays.stream(UserImplementations.load(s.className(), IdempotencyStore.class)
                    .getConstructors()).allMatch(Taos1Scenario::needsDatabase)) {
                return Observation.notApplicable(s.className() + " is built with a Database only; TAOS-1's in-memory"
                        + " checks supply (Clock, Duration retention) — its database checks here and TAOS-3's apply");
            }
            return body.run(ctx);
        };
    }

    private static boolean needsDatabase(Constructor<?> c) {
        return Arrays.asList(c.getParameterTypes()).contains(Database.class);
    }
}
