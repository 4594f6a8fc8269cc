package io.stresslab.stress.mutants;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.core.orch.DbLockManager;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Each new fault earns its place: ORCH-2's multi-worker check (3 worker JVMs on PostgreSQL, the same workload and judge
 * for every lock manager) runs each implementation under the old faults and under the new one. A fault-only mutant
 * must hold under the old faults (they cannot see its mistake) and be caught under its fault; our lease manager must
 * hold under every one of them. The matrix is printed for the build log.
 */
class FaultMatrixTest {
    private static final Set<RunSettings.Fault> OLD = RunSettings.Fault.CLASSIC;

    private record Row(Subject<DbLockManager> subject, String fault, Set<RunSettings.Fault> faults, boolean caught) {
    }

    @Test
    void orch2LockManagers() {
        Optional<DatabaseTarget> pg = PostgresTarget.target();
        Assumptions.assumeTrue(pg.isPresent(), PostgresTarget::reason);
        Subject<DbLockManager> ours = Scenarios.contract("ORCH-2", DbLockManager.class).ours().stream()
                .filter(s -> s.variant().equals("lease-fencing-lock")).findFirst().orElseThrow();
        Subject<DbLockManager> localClock = Orch2LockMutants.faultOnly().get(0);
        Subject<DbLockManager> noFencing = Orch2LockMutants.faultOnly().get(1);
        List<Row> rows = List.of(
                new Row(localClock, "old faults", OLD, false),
                new Row(localClock, "clock-skew", with(RunSettings.Fault.CLOCK_SKEW), true),
                new Row(noFencing, "old faults", OLD, false),
                new Row(noFencing, "pause", with(RunSettings.Fault.PAUSE), true),
                new Row(ours, "clock-skew", with(RunSettings.Fault.CLOCK_SKEW), false),
                new Row(ours, "pause", with(RunSettings.Fault.PAUSE), false),
                new Row(ours, "net-*", with(RunSettings.Fault.NET_FREEZE, RunSettings.Fault.NET_RESET,
                        RunSettings.Fault.NET_CUT_COMMIT), false));
        List<String> table = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            CheckRecord r = run(row, pg.get());
            boolean caught = r.verdict() == Verdict.REPRODUCED || r.verdict() == Verdict.VIOLATED;
            String line = String.format("%-40s %-12s %-9s %s", row.subject().variant(), row.fault(),
                    caught ? "caught" : "held", r.summary());
            table.add(line);
            if (caught != row.caught() || r.verdict() == Verdict.ERROR) {
                wrong.add(line);
            }
        }
        System.out.println("[stresslab] ORCH-2 fault matrix (multi-worker, PostgreSQL):\n  "
                + String.join("\n  ", table));
        assertThat(wrong).as("rows that did not come out as the matrix says").isEmpty();
    }

    private static Set<RunSettings.Fault> with(RunSettings.Fault... extra) {
        Set<RunSettings.Fault> s = new java.util.HashSet<>(OLD);
        s.addAll(List.of(extra));
        return s;
    }

    private static CheckRecord run(Row row, DatabaseTarget target) {
        RunSettings base = RunSettings.fromSystemProperties();
        RunSettings settings = new RunSettings(base.effort(), base.seed(), base.resultsDir(), base.workDir(),
                new RunSettings.Workers(3, null, null, row.faults()), 1);
        Contract<DbLockManager> contract = Scenarios.contract("ORCH-2", DbLockManager.class);
        CheckSpec spec = contract.checksFor(row.subject()).stream().filter(c -> c.tool() == Tool.MULTI_WORKER)
                .findFirst().orElseThrow();
        return new CheckRunner(settings).run(spec, target);
    }
}
