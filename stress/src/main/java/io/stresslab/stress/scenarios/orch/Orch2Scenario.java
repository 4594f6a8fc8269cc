package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.db.Database;
import io.stresslab.core.orch.DbLockManager;
import io.stresslab.core.orch.InsertOnlyLockManager;
import io.stresslab.core.orch.LeaseLockManager;
import io.stresslab.core.orch.RowLockWorkClaimer;
import io.stresslab.core.orch.WorkClaimer;
import io.stresslab.stress.harness.Check;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import java.util.List;

/**
 * ORCH-2: database lock rows that never expire after a crash, no fencing, and claims that wait for a peer's row. Two
 * contracts: {@link DbLockManager} faces {@link PausedOwnerWrite}, {@link CrashReclaim} (several workers in this JVM,
 * each with its OWN connection pool: all correctness state is in the database) and {@link LeaseCampaign} (worker JVMs,
 * one killed with kill -9); {@link WorkClaimer} faces {@link ClaimWhilePeerHolds}.
 */
public final class Orch2Scenario implements Scenario {
    static final String BUG = "ORCH-2";

    @Override
    public String bug() {
        return BUG;
    }

    @Override
    public List<Contract<?>> contracts() {
        return List.of(
                new Contract<>(BUG, DbLockManager.class, "(Database, Duration lease)", List.of(
                        Subject.ours(BUG, "insert-only-lock", DbLockManager.class, InsertOnlyLockManager.class),
                        Subject.ours(BUG, "lease-fencing-lock", DbLockManager.class, LeaseLockManager.class)),
                        Orch2Scenario::lockChecks),
                new Contract<>(BUG, WorkClaimer.class, "(Database)", List.of(
                        Subject.ours(BUG, "for-update-claim", env -> new RowLockWorkClaimer(env.get(Database.class),
                                RowLockWorkClaimer.Mode.WAIT)),
                        Subject.ours(BUG, "skip-locked-claim", env -> new RowLockWorkClaimer(env.get(Database.class),
                                RowLockWorkClaimer.Mode.SKIP_LOCKED))),
                        Orch2Scenario::claimChecks));
    }

    static List<CheckSpec> lockChecks(Subject<DbLockManager> s) {
        return List.of(
                CheckSpec.onDatabases(s, Tool.DATABASE, "paused-owner-write", Check.of(
                                ctx -> PausedOwnerWrite.run(ctx, s), PausedOwnerWrite::judge,
                                PausedOwnerWrite::describe))
                        .obliges("exclusive, no-takeover-before-expiry, fencing (a late writer is fenced out), "
                                + "release-own-grant-only"),
                CheckSpec.onDatabases(s, Tool.DATABASE, "crash-reclaim", Check.of(
                                ctx -> CrashReclaim.run(ctx, s), CrashReclaim::judge, CrashReclaim::describe))
                        .obliges("reclaim-after-expiry (running workers, no restart), exclusive"),
                CheckSpec.onDatabases(s, Tool.MULTI_WORKER, "worker-jvms-kill", ctx -> LeaseCampaign.run(ctx, s))
                        .obliges("exclusive, fencing and reclaim-after-expiry across worker JVMs, one killed with "
                                + "kill -9"));
    }

    static List<CheckSpec> claimChecks(Subject<WorkClaimer> s) {
        return List.of(CheckSpec.onDatabases(s, Tool.DATABASE, "claim-while-peer-holds", Check.of(
                        ctx -> ClaimWhilePeerHolds.run(ctx, s), ClaimWhilePeerHolds::judge,
                        ClaimWhilePeerHolds::describe))
                .obliges("every obligation of WorkClaimer: exactly-once, no-wait-on-peer, crash-safe, drains"));
    }
}
