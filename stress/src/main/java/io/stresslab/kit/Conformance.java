package io.stresslab.kit;

import io.stresslab.core.db.DbKind;
import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.CheckRunner;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.DatabaseTarget;
import io.stresslab.stress.harness.JcstressRunner;
import io.stresslab.stress.harness.RunSettings;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Verdict;
import io.stresslab.stress.scenarios.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * The conformance kit's JUnit 5 entry point: every check of a contract, run against your implementation in your own
 * build, one dynamic test per check and database.
 * <pre>
 * class MyGateConformanceTest {
 *     &#64;TestFactory
 *     Stream&lt;DynamicTest&gt; contract() {
 *         return Conformance.of(CooldownGate.class, MyGate.class);
 *     }
 * }
 * </pre>
 * Database checks run on embedded H2 and on PostgreSQL when one is configured ({@code -Dstresslab.pg.url} or
 * {@code STRESSLAB_PG_URL}) or Testcontainers can start one; otherwise the PostgreSQL tests are skipped with the
 * reason. Each check writes its JSON record to {@code target/stresslab-results} ({@code -Dstresslab.results.dir}),
 * which {@code stresslab report} renders. A violated obligation fails its test with the record's summary and evidence
 * (minimal trace, offending rows, thread dump).
 */
public final class Conformance {
    private static volatile CheckRunner runner;

    static {
        // the build runs every scenario: its first jcstress check of our variants forks jcstress once for all their
        // tests; a subject's own tests (a team's class, a mutant) fork per subject
        JcstressRunner.plan(List.of(Scenarios.class.getPackageName()));
    }

    private Conformance() {
    }

    /** Every check of {@code contract} against {@code implementation}, which must hold. */
    public static <I> Stream<DynamicTest> of(Class<I> contract, Class<? extends I> implementation) {
        Contract<I> c = contractOf(contract);
        return tests(c.checksFor(Subject.user(c.bug(), contract, implementation.getName())));
    }

    /** Every check of every one of our implementations of a scenario (the build's own tests). */
    public static Stream<DynamicTest> ours(Scenario scenario) {
        return tests(scenario.checks());
    }

    /** One dynamic test per check and database engine; each asserts the verdict its subject expects. */
    public static Stream<DynamicTest> tests(List<CheckSpec> checks) {
        List<DynamicTest> tests = new ArrayList<>();
        for (CheckSpec spec : checks) {
            if (!spec.needsDatabase()) {
                tests.add(DynamicTest.dynamicTest(name(spec, "none"), () -> assertPasses(run(spec, null))));
                continue;
            }
            for (DbKind kind : DbKind.values()) {
                if (spec.databases().contains(kind)) {
                    tests.add(DynamicTest.dynamicTest(name(spec, kind.id()), () -> assertPasses(run(spec, kind))));
                }
            }
        }
        return tests.stream();
    }

    /**
     * Runs {@code spec} on {@code kind} (null: in memory) and returns its record; a PostgreSQL check with no server
     * is recorded skipped (an error under {@code CI=true}).
     */
    public static CheckRecord run(CheckSpec spec, DbKind kind) {
        CheckRecord r;
        if (kind == null) {
            r = runner().run(spec, null);
        } else if (kind == DbKind.H2) {
            r = runner().run(spec, DatabaseTarget.h2InMemory());
        } else {
            Optional<DatabaseTarget> pg = PostgresTarget.target();
            if (pg.isEmpty()) {
                runner().skip(spec, kind.id(), PostgresTarget.reason());
                if (PostgresTarget.requiredHere()) {
                    throw new AssertionError("CI=true but " + PostgresTarget.reason());
                }
                Assumptions.abort(PostgresTarget.reason());
                return null;
            }
            r = runner().run(spec, pg.get());
        }
        System.out.println("[stresslab] " + r.line());
        return r;
    }

    /** Fails with the record's summary and evidence unless its verdict passes. */
    public static void assertPasses(CheckRecord r) {
        if (r != null && !r.verdict().passing()) {
            throw new AssertionError(failure(r));
        }
    }

    /** What a failing check says: which obligation, what was seen, and the evidence that shows it. */
    public static String failure(CheckRecord r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.bug()).append(' ').append(r.variant()).append(" [").append(r.tool().json()).append('/')
                .append(r.check()).append(", ").append(r.database()).append("]: expected ")
                .append(r.expect().json().equals("reproduce") ? "reproduced" : "held").append(" but was ")
                .append(r.verdict().json());
        if (r.obligation() != null) {
            sb.append("\n  obligation: ").append(r.obligation());
        }
        sb.append("\n  ").append(r.summary());
        for (Map.Entry<String, Object> e : r.evidence().entrySet()) {
            String text = String.valueOf(e.getValue());
            sb.append("\n  ").append(e.getKey()).append(": ").append(text.length() > 4000
                    ? text.substring(0, 4000) + " …" : text);
        }
        return sb.toString();
    }

    private static String name(CheckSpec spec, String db) {
        return spec.bug() + " " + spec.variant() + " [" + spec.tool().json() + "/" + spec.check() + ", " + db
                + "] expect " + spec.expect().json();
    }

    @SuppressWarnings("unchecked")
    private static <I> Contract<I> contractOf(Class<I> type) {
        for (Scenario s : Scenarios.all()) {
            for (Contract<?> c : s.contracts()) {
                if (c.type().equals(type)) {
                    return (Contract<I>) c;
                }
            }
        }
        throw new IllegalArgumentException(type.getName() + " is not a stresslab contract; contracts: "
                + Scenarios.all().stream().flatMap(s -> s.contracts().stream()).map(c -> c.bug() + " "
                + c.type().getName()).toList());
    }

    private static CheckRunner runner() {
        if (runner == null) {
            synchronized (Conformance.class) {
                if (runner == null) {
                    runner = new CheckRunner(RunSettings.fromSystemProperties());
                }
            }
        }
        return runner;
    }
}
