package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Tool;
import java.util.List;
import java.util.function.Supplier;

/**
 * TAOS-1's database checks, for Taos1Scenario to merge into its list: one worker process (one pool, one in-memory
 * cache) whose {@value AddAgentWorkload#CALLERS} concurrent callers per key go through the real "add agent" handler
 * on H2 and PostgreSQL. With the get-then-set cache every caller misses before the first one stores its response, so
 * the slug loop quietly creates {@code agent-k-2}, {@code -3}: duplicate rows and different answers for one key. With
 * the reserving cache each key creates one row and every caller gets the owner's response.
 */
public final class Taos1DatabaseChecks {
    private Taos1DatabaseChecks() {
    }

    /**
     * @param getThenSet a fresh TAOS-1 before cache (GetThenSetIdempotencyCache)
     * @param reserving  a fresh TAOS-1 after cache (ReservingIdempotencyCache)
     */
    public static List<CheckSpec> checks(Supplier<IdempotencyStore> getThenSet, Supplier<IdempotencyStore> reserving) {
        return List.of(
                CheckSpec.onDatabases("TAOS-1", "get-then-set", Expect.REPRODUCE, Tool.DATABASE,
                        "duplicate-agent-row",
                        ctx -> AddAgentWorkload.run(ctx, 1, ctx.ops(300), true, "the get-then-set cache",
                                db -> getThenSet.get())),
                CheckSpec.onDatabases("TAOS-1", "atomic-reservation", Expect.HOLD, Tool.DATABASE,
                        "one-agent-row-per-key",
                        ctx -> AddAgentWorkload.run(ctx, 1, ctx.ops(100), false, "the reserving cache",
                                db -> reserving.get())));
    }
}
