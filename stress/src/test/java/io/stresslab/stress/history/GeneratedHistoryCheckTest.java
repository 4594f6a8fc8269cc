package io.stresslab.stress.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.history.LinearizabilityChecker.KeyResult;
import io.stresslab.stress.history.LinearizabilityChecker.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Generated register histories: linearizable by construction, then broken on purpose. Prints the checker's speed on
 * a 100,000-op history (2 threads); the time is reported, never asserted.
 */
class GeneratedHistoryCheckTest {
    private final LinearizabilityChecker<Value> checker =
            new LinearizabilityChecker<>(new RegisterModel("0"), 2, Duration.ofMinutes(2));

    @Test
    void hundredThousandOpsAreLinearizableAndTimed() {
        List<Op> ops = RegisterHistoryGenerator.generate(42, 2_000, 50, 0.02);
        History history = new History(ops);
        checker.check(new History(RegisterHistoryGenerator.generate(7, 200, 50, 0.02))); // warm-up
        LinearizabilityChecker.Result r = checker.check(history);
        System.out.printf("stresslab linearizability: %,d ops, %,d keys, 4-8 threads per key, %d INFO ops: %s in %d ms"
                        + " on 2 threads%n", r.ops(), r.keys(), history.statusCounts().get(Op.Status.INFO),
                r.verdict(), r.elapsed().toMillis());
        assertThat(r.ops()).isEqualTo(100_000);
        assertThat(r.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void corruptedReadsAreFoundOnlyOnTheirKeys() {
        List<Op> ops = new ArrayList<>(RegisterHistoryGenerator.generate(43, 500, 50, 0.02));
        Set<String> broken = new TreeSet<>();
        for (int i = 0; i < ops.size() && broken.size() < 5; i += 2_003) {
            int j = i;
            while (!(ops.get(j).name().equals("read") && ops.get(j).ok())) {
                j++;
            }
            ops.set(j, RegisterHistoryGenerator.withResult(ops.get(j), "never-written"));
            broken.add(ops.get(j).key());
        }
        LinearizabilityChecker.Result r = checker.check(new History(ops));
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        // the first key proven not linearizable ends the check: which of the broken keys are named depends on the
        // threads, but every named one is broken and comes with its explanation
        assertThat(r.notLinearizable()).isNotEmpty();
        assertThat(r.notLinearizable()).extracting(KeyResult::key).allMatch(broken::contains);
        assertThat(r.notLinearizable()).allSatisfy(f -> assertThat(f.notLinearizable()).isNotEmpty());
    }
}
