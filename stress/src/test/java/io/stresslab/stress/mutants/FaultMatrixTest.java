package io.stresslab.stress.mutants;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.core.orch.DbLockManager;
import io.stresslab.core.taos.SharedIdempotencyStore;
import io.stresslab.kit.PostgresTarget;
import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.CheckRunner;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.DatabaseTarget;
import io.stresslab.stress.harness.RunSettings;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Verdict;
import io.stresslab.stress.scenarios.Scenarios;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Each new fault earns its place: a multi-worker check (3 worker JVMs on PostgreSQL, the same workload and judge for
 * every implementation of the contract) runs each fault-only mutant under its fault alone and ours under the old and
 * the new faults together. A mutant must be caught under its fault; our implementation must hold under every one of
 * them. That the old faults miss a mutant is not asserted here: it is a rate, not a verdict (each mutant is truly
 * wrong, and a scheduling stall on a loaded machine exposes {@code TokenKeptOnTakeover} now and then with no fault at
 * all, as one CI run did), so it is measured over 20 seeded runs and committed (docs/faults.md,
 * stress/results/fault-only-2026-11-30). ORCH-2's lock managers carry the faults that
 * stall an owner or skew its clock (clock skew, pause, a frozen or a slow connection), TAOS-3's idempotency stores
 * the faults on a COMMIT (cut, reset). The matrix is printed for the build log.
 */
class FaultMatrixTest {
    private static final Set<RunSettings.Fault> OLD = RunSettings.Fault.CLASSIC;

    /** One run of {@code subject} under {@code faults}; {@code duration} null: the check's own. */
    private record Row(Subject<?> subject, String fault, Set<RunSettings.Fault> faults, boolean caught,
                       Duration duration) {
        Row(Subject<?> subject, String fault, Set<RunSettings.Fault> faults, boolean caught) {
            this(subject, fault, faults, caught, null);
        }
    }

    /**
     * TAOS-3's mutant rows run 6 s instead of 3: a cut or a reset exposes {@code RetriesUnknownCommit} only when it
     * lands on a key's completing COMMIT (about one write COMMIT in two), and 12 of them instead of 6 make a miss a
     * 1-in-4096 event instead of 1-in-64.
     */
    private static final Duration TAOS3_RUN = Duration.ofSeconds(6);

    /**
     * A mutant's row is a rate, not a certainty: each run catches it when its fault finds an owner at the wrong moment
     * ({@code TokenKeptOnTakeover}: 20/20 under pause, 19/20 under net-freeze in 20 seeded runs; a CI run saw one miss
     * under net-latency). So a mutant must be caught in one of up to three seeded runs (stopping at the first catch);
     * our rows run once each and must hold.
     */
    private static final int MUTANT_TRIALS = 3;

    @Test
    void orch2LockManagers() {
        Subject<DbLockManager> ours = ours("ORCH-2", DbLockManager.class, "lease-fencing-lock");
        Subject<DbLockManager> localClock = Orch2LockMutants.faultOnly().get(0);
        Subject<DbLockManager> noFencing = Orch2LockMutants.faultOnly().get(1);
        matrix("ORCH-2", DbLockManager.class, List.of(
                new Row(localClock, "clock-skew", only(RunSettings.Fault.CLOCK_SKEW), true),
                new Row(noFencing, "pause", only(RunSettings.Fault.PAUSE), true),
                new Row(noFencing, "net-freeze", only(RunSettings.Fault.NET_FREEZE), true),
                new Row(noFencing, "net-latency", only(RunSettings.Fault.NET_LATENCY), true),
                new Row(ours, "clock-skew", with(RunSettings.Fault.CLOCK_SKEW), false),
                new Row(ours, "pause", with(RunSettings.Fault.PAUSE), false),
                new Row(ours, "net-*", with(RunSettings.Fault.NET_FREEZE, RunSettings.Fault.NET_LATENCY,
                        RunSettings.Fault.NET_RESET, RunSettings.Fault.NET_CUT_COMMIT), false)));
    }

    @Test
    void taos3IdempotencyStores() {
        Subject<SharedIdempotencyStore> ours = ours("TAOS-3", SharedIdempotencyStore.class, "database-reservation");
        Subject<SharedIdempotencyStore> retries = Taos3Mutants.faultOnly().get(0);
        matrix("TAOS-3", SharedIdempotencyStore.class, List.of(
                new Row(retries, "net-cut-commit", only(RunSettings.Fault.NET_CUT_COMMIT), true, TAOS3_RUN),
                new Row(retries, "net-reset", only(RunSettings.Fault.NET_RESET), true, TAOS3_RUN),
                new Row(ours, "pause", with(RunSettings.Fault.PAUSE), false),
                new Row(ours, "net-*", with(RunSettings.Fault.NET_FREEZE, RunSettings.Fault.NET_LATENCY,
                        RunSettings.Fault.NET_RESET, RunSettings.Fault.NET_CUT_COMMIT), false, TAOS3_RUN)));
    }

    private static <I> Subject<I> ours(String bug, Class<I> type, String variant) {
        return Scenarios.contract(bug, type).ours().stream().filter(s -> s.variant().equals(variant)).findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static <I> void matrix(String bug, Class<I> type, List<Row> rows) {
        Optional<DatabaseTarget> pg = PostgresTarget.target();
        Assumptions.assumeTrue(pg.isPresent(), PostgresTarget::reason);
        Contract<I> contract = Scenarios.contract(bug, type);
        List<String> table = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            CheckSpec spec = contract.checksFor((Subject<I>) row.subject()).stream()
                    .filter(c -> c.tool() == Tool.MULTI_WORKER).findFirst().orElseThrow();
            CheckRecord r;
            boolean caught;
            int trial = 0;
            do { // ours: one run, which must hold; a mutant: until caught, at most MUTANT_TRIALS seeded runs
                r = new CheckRunner(settings(row.faults(), row.duration(), trial++)).run(spec, pg.get());
                caught = r.verdict() == Verdict.REPRODUCED || r.verdict() == Verdict.VIOLATED;
            } while (row.caught() && !caught && r.verdict() != Verdict.ERROR && trial < MUTANT_TRIALS);
            String line = String.format("%-40s %-14s %-11s %s", row.subject().variant(), row.fault(),
                    (caught ? "caught" : "held") + (row.caught() ? " " + trial + "/" + MUTANT_TRIALS : ""),
                    r.summary());
            table.add(line);
            if (caught != row.caught() || r.verdict() == Verdict.ERROR) {
                wrong.add(line);
            }
        }
        System.out.println("[stresslab] " + bug + " fault matrix (multi-worker, PostgreSQL):\n  "
                + String.join("\n  ", table));
        assertThat(wrong).as("rows that did not come out as the matrix says").isEmpty();
    }

    /**
     * A mutant's catching row: its fault alone, as in the committed 20-of-20 runs (docs/faults.md). With a kill and a
     * termination on top, fewer workers are left to contend and a catch is likelier missed.
     */
    private static Set<RunSettings.Fault> only(RunSettings.Fault fault) {
        return java.util.EnumSet.of(fault);
    }

    /** Our implementations' rows: the old faults and the new ones at once. */
    private static Set<RunSettings.Fault> with(RunSettings.Fault... extra) {
        Set<RunSettings.Fault> s = new java.util.HashSet<>(OLD);
        s.addAll(List.of(extra));
        return s;
    }

    private static RunSettings settings(Set<RunSettings.Fault> faults, Duration duration, int trial) {
        RunSettings base = RunSettings.fromSystemProperties();
        return new RunSettings(base.effort(), base.seed() + trial, base.resultsDir(), base.workDir(),
                new RunSettings.Workers(3, duration, null, faults), 1);
    }
}
