package io.stresslab.stress.mutants;

import io.stresslab.core.db.DbKind;
import io.stresslab.kit.Conformance;
import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Verdict;
import io.stresslab.stress.scenarios.Scenarios;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The mutation suite: wrong implementations of every contract (each a mistake real teams make) must be caught by some
 * check, and correct implementations that differ from ours must pass every check — judged by the same kit a team
 * uses. A mutant runs its checks cheapest first and stops at the first that catches it; database checks run on H2.
 * Every run writes its records (variant {@code mutant:<Class>} or {@code alternative:<Class>}), which the report
 * counts into the detection matrix's "mutants caught" column.
 */
public final class MutationSuite {
    /** Cheapest first: a mutant is usually caught before the forked tools run. */
    private static final List<Tool> ORDER = List.of(Tool.THREADS, Tool.DATABASE, Tool.LIVENESS, Tool.LINCHECK,
            Tool.MULTI_WORKER, Tool.JCSTRESS);

    private MutationSuite() {
    }

    /**
     * The tests of one contract's suite: each mutant must be caught, each alternative must hold every check. A
     * bug's test class returns this from a {@code @TestFactory}.
     */
    public static <I> Stream<DynamicTest> of(String bug, Class<I> type, List<Subject<I>> mutants,
                                             List<Subject<I>> alternatives) {
        List<DynamicTest> tests = new ArrayList<>();
        addMutants(tests, type, bug, mutants);
        addAlternatives(tests, type, bug, alternatives);
        return tests.stream();
    }

    static <I> void addMutants(List<DynamicTest> tests, Class<I> type, String bug, List<Subject<I>> mutants) {
        Contract<I> contract = Scenarios.contract(bug, type);
        for (Subject<I> m : mutants) {
            tests.add(DynamicTest.dynamicTest(bug + " " + m.variant() + " is caught", () -> {
                List<String> tried = new ArrayList<>();
                for (CheckSpec spec : ordered(contract.checksFor(m))) {
                    CheckRecord r = Conformance.run(spec, spec.needsDatabase() ? DbKind.H2 : null);
                    if (r.verdict() == Verdict.REPRODUCED) {
                        return;
                    }
                    tried.add(spec.tool().json() + "/" + spec.check() + ": " + r.verdict().json() + " — "
                            + r.summary());
                }
                throw new AssertionError(bug + " " + m.variant() + " survived every check:\n  "
                        + String.join("\n  ", tried));
            }));
        }
    }

    static <I> void addAlternatives(List<DynamicTest> tests, Class<I> type, String bug, List<Subject<I>> subjects) {
        Contract<I> contract = Scenarios.contract(bug, type);
        for (Subject<I> a : subjects) {
            for (CheckSpec spec : ordered(contract.checksFor(a))) {
                tests.add(DynamicTest.dynamicTest(bug + " " + a.variant() + " [" + spec.tool().json() + "/"
                                + spec.check() + "] holds",
                        () -> Conformance.assertPasses(Conformance.run(spec, spec.needsDatabase() ? DbKind.H2
                                : null))));
            }
        }
    }

    private static List<CheckSpec> ordered(List<CheckSpec> checks) {
        return checks.stream().sorted(Comparator.comparingInt(c -> ORDER.indexOf(c.tool()))).toList();
    }
}
