package io.stresslab.stress.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.history.LinearizabilityChecker.KeyResult;
import io.stresslab.stress.history.LinearizabilityChecker.Result;
import io.stresslab.stress.history.LinearizabilityChecker.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The verdict does not depend on the thread count or on which keys sit beside the failing one; the limits end in
 * UNKNOWN with the undecided keys, the reason and the progress — never in an exception.
 */
class CheckerSchedulingTest {
    private static final int HARD_KEYS = 6;

    /**
     * A key that is very expensive to decide: 28 writes of distinct values whose outcome is unknown (INFO: each may
     * have taken effect at any time, or never), then reads that see the values in an order the search only finds
     * after trying a great many subsets — and a last read of a value nobody wrote, so the search must exhaust them.
     */
    static List<Op> hardKey(String key, long idBase) {
        List<Op> ops = new ArrayList<>();
        long id = idBase;
        for (int w = 0; w < 28; w++) {
            ops.add(new Op(w, 0, ++id, "write", key, Value.of(w), w, Op.NEVER, Op.Status.INFO, Value.UNKNOWN));
        }
        long t = 1_000;
        for (int r = 27; r >= 20; r--) {
            ops.add(new Op(100, 0, ++id, "read", key, Value.NIL, t, t + 5, Op.Status.OK, Value.of(r)));
            t += 10;
        }
        ops.add(new Op(100, 0, ++id, "read", key, Value.NIL, t, t + 5, Op.Status.OK, Value.of(999)));
        return ops;
    }

    /** A key that is cheap to prove not linearizable: a read after a completed write sees the old value. */
    static List<Op> staleKey(String key) {
        return List.of(new Op(0, 0, 1, "write", key, Value.of(1), 0, 10, Op.Status.OK, Value.NIL),
                new Op(1, 0, 2, "read", key, Value.NIL, 20, 30, Op.Status.OK, Value.NIL));
    }

    static List<Op> hardHistory(boolean withStaleKey) {
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < HARD_KEYS; k++) {
            ops.addAll(hardKey("a-hard-" + k, 1000L * k));
        }
        if (withStaleKey) {
            ops.addAll(staleKey("z-stale"));
        }
        return ops;
    }

    @Test
    void oneFailingKeyAmongExpensiveKeysIsFoundWithOneTwoAndEightThreads() {
        History h = new History(hardHistory(true));
        for (int threads : new int[] {1, 2, 8}) {
            LinearizabilityChecker<Value> c = new LinearizabilityChecker<>(RegisterModel.casRegister(Value.NIL),
                    threads, Duration.ofSeconds(20));
            Result r = c.check(h);
            System.out.printf("scheduling: %d hard keys + 1 failing key, %d thread(s): %s in %d ms%n", HARD_KEYS,
                    threads, r.verdict(), r.elapsed().toMillis());
            assertThat(r.verdict()).as("%d threads", threads).isEqualTo(Verdict.NOT_LINEARIZABLE);
            assertThat(r.notLinearizable()).extracting(KeyResult::key).containsExactly("z-stale");
            KeyResult f = r.notLinearizable().get(0);
            assertThat(f.longestPrefix()).extracting(Op::name).containsExactly("write");
            assertThat(f.notLinearizable()).extracting(Op::name).containsExactly("read");
            // the expensive keys were cancelled, and say so
            assertThat(r.undecided()).allSatisfy(u -> assertThat(u.reason()).contains("z-stale"));
        }
    }

    @Test
    void expensiveKeysAloneAreUnknownWithTheirProgressWhateverTheThreadCount() {
        History h = new History(hardHistory(false));
        for (int threads : new int[] {1, 2, 8}) {
            LinearizabilityChecker<Value> c = new LinearizabilityChecker<>(RegisterModel.casRegister(Value.NIL),
                    threads, Duration.ofSeconds(2));
            Result r = c.check(h);
            System.out.printf("scheduling: %d hard keys alone, %d thread(s): %s in %d ms; %s%n", HARD_KEYS, threads,
                    r.verdict(), r.elapsed().toMillis(), r.undecided().get(0).describe());
            assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
            assertThat(r.undecided()).hasSize(HARD_KEYS);
            assertThat(r.undecided()).allSatisfy(u -> {
                assertThat(u.reason()).contains("total budget");
                assertThat(u.steps()).isPositive();
                assertThat(u.states()).isPositive();
                assertThat(u.deepest()).isPositive();
            });
            assertThat(r.describe()).contains("undecided").contains("a-hard-0");
        }
    }

    @Test
    void aPerKeyBudgetStopsEachExpensiveKeyAndLeavesTheRestDecided() {
        List<Op> ops = new ArrayList<>(hardKey("hard", 0));
        ops.add(new Op(0, 0, 9_001, "write", "easy", Value.of(1), 0, 10, Op.Status.OK, Value.NIL));
        ops.add(new Op(1, 0, 9_002, "read", "easy", Value.NIL, 20, 30, Op.Status.OK, Value.of(1)));
        Result r = new LinearizabilityChecker<>(RegisterModel.casRegister(Value.NIL), 1, Duration.ofMinutes(5))
                .withKeyBudget(Duration.ofMillis(300)).check(new History(ops));
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.undecided()).extracting(KeyResult::key).containsExactly("hard");
        assertThat(r.undecided().get(0).reason()).contains("key budget of 300 ms");
    }

    @Test
    void theMemoryBoundEndsInUnknownWithTheReasonNotAnOutOfMemoryError() {
        Result r = new LinearizabilityChecker<>(RegisterModel.casRegister(Value.NIL), 2, Duration.ofMinutes(5))
                .withMemoryLimit(16L << 20).check(new History(hardHistory(false)));
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.undecided()).isNotEmpty();
        assertThat(r.undecided()).anySatisfy(u -> {
            assertThat(u.reason()).contains("memory limit of 16 MB");
            assertThat(u.states()).isPositive();
        });
    }
}
