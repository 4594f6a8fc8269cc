package io.stresslab.stress.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stresslab.core.db.DbKind;
import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.CheckRunner;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.DatabaseTarget;
import io.stresslab.stress.harness.JcstressRunner;
import io.stresslab.stress.harness.RunSettings;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Verdict;
import io.stresslab.stress.scenarios.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * Turns a {@link Scenario} into JUnit dynamic tests: one per check and database. Each runs the check through the
 * shared {@link CheckRunner} (which writes its record) and fails unless the verdict is the expected one — a
 * reproduction that did not reproduce, or a fix that was violated, fails the build.
 */
public final class ScenarioChecks {
    private static final CheckRunner RUNNER = new CheckRunner(RunSettings.fromSystemProperties());

    static {
        // the build runs every scenario: its first jcstress check forks jcstress once for all their jcstress tests
        JcstressRunner.plan(List.of(Scenarios.class.getPackageName()));
    }

    private ScenarioChecks() {
    }

    public static Stream<DynamicTest> of(Scenario scenario) {
        List<DynamicTest> tests = new ArrayList<>();
        for (CheckSpec spec : scenario.checks()) {
            if (!spec.needsDatabase()) {
                tests.add(DynamicTest.dynamicTest(name(spec, "none"), () -> runAndAssert(spec, null)));
                continue;
            }
            for (DbKind kind : DbKind.values()) {
                if (spec.databases().contains(kind)) {
                    tests.add(DynamicTest.dynamicTest(name(spec, kind.id()), () -> runOn(spec, kind)));
                }
            }
        }
        return tests.stream();
    }

    private static String name(CheckSpec spec, String db) {
        return spec.bug() + " " + spec.variant() + " [" + spec.tool().json() + "/" + spec.check() + ", " + db
                + "] expect " + spec.expect().json();
    }

    private static void runOn(CheckSpec spec, DbKind kind) {
        if (kind == DbKind.H2) {
            runAndAssert(spec, DatabaseTarget.h2InMemory());
            return;
        }
        Optional<DatabaseTarget> pg = PostgresSupport.target();
        if (pg.isEmpty()) {
            RUNNER.skip(spec, kind.id(), PostgresSupport.reason());
            if (PostgresSupport.requiredHere()) {
                fail("CI=true but " + PostgresSupport.reason());
            }
            Assumptions.abort(PostgresSupport.reason());
        }
        runAndAssert(spec, pg.get());
    }

    private static void runAndAssert(CheckSpec spec, DatabaseTarget target) {
        CheckRecord r = RUNNER.run(spec, target);
        System.out.println("[stresslab] " + r.line());
        assertTrue(r.verdict() == Verdict.REPRODUCED || r.verdict() == Verdict.HELD,
                () -> spec.id() + " on " + r.database() + ": expected " + (spec.expect().json().equals("reproduce")
                        ? "reproduced" : "held") + " but was " + r.verdict().json() + " — " + r.summary()
                        + (r.evidence().containsKey("exception") ? "\n" + r.evidence().get("exception") : ""));
    }
}
