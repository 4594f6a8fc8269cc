package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.kagent.DeleteInsertTransactionToolRefresh;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.KagentUpserts;
import io.stresslab.core.kagent.ServerLockedToolRefresh;
import io.stresslab.core.kagent.StatementByStatementToolRefresh;
import io.stresslab.core.kagent.ToolSetRefresh;
import io.stresslab.stress.harness.Check;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import java.util.List;

/**
 * KAGENT-2: replacing a server's tool set is torn. Two contracts, checked on H2 and PostgreSQL over real connections:
 * {@link ToolSetRefresh} ({@link ConcurrentRefreshes} in one JVM, and
 * {@link ToolRefreshCampaign} across worker JVMs with faults) and {@link KagentUpserts} ({@link ConcurrentUpserts}).
 * Shown: statement-by-statement fails on both engines; the merged transactional delete+insert fails on PostgreSQL
 * READ COMMITTED (the union of two sets survives) and, measured, on H2 too; the server-row-locked refresh holds.
 */
public final class Kagent2Scenario implements Scenario {
    static final String BUG = "KAGENT-2";

    @Override
    public String bug() {
        return BUG;
    }

    @Override
    public List<Contract<?>> contracts() {
        return List.of(
                new Contract<>(BUG, ToolSetRefresh.class, "(KagentStore), (Database) or ()", List.of(
                        Subject.ours(BUG, "statement-by-statement", ToolSetRefresh.class,
                                StatementByStatementToolRefresh.class),
                        Subject.ours(BUG, "transactional-delete-insert", ToolSetRefresh.class,
                                DeleteInsertTransactionToolRefresh.class),
                        Subject.ours(BUG, "server-row-locked", ToolSetRefresh.class, ServerLockedToolRefresh.class)),
                        Kagent2Scenario::refreshChecks),
                new Contract<>(BUG, KagentUpserts.class, "(Database)", List.of(
                        Subject.ours(BUG, "single-statement-upsert", KagentUpserts.class, KagentStore.class)),
                        Kagent2Scenario::upsertChecks));
    }

    static List<CheckSpec> refreshChecks(Subject<ToolSetRefresh> s) {
        return List.of(
                CheckSpec.onDatabases(s, Tool.DATABASE, "concurrent-refreshes", Check.of(
                                ctx -> ConcurrentRefreshes.run(ctx, s), ConcurrentRefreshes::judge,
                                ConcurrentRefreshes::describe))
                        .obliges("replaces-exactly, one-callers-set, readers-see-whole-sets, no-errors"),
                CheckSpec.onDatabases(s, Tool.MULTI_WORKER, "worker-jvms-faults",
                                ctx -> ToolRefreshCampaign.run(ctx, s))
                        .obliges("one-callers-set, readers-see-whole-sets, failure-is-atomic across worker JVMs"));
    }

    static List<CheckSpec> upsertChecks(Subject<KagentUpserts> s) {
        return List.of(CheckSpec.onDatabases(s, Tool.DATABASE, "concurrent-upserts", Check.of(
                        ctx -> ConcurrentUpserts.run(ctx, s), ConcurrentUpserts::judge, ConcurrentUpserts::describe))
                .obliges("one-row-per-key, no-errors, last-write-wins"));
    }
}
