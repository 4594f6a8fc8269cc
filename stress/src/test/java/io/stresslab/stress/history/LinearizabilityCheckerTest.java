package io.stresslab.stress.history;

import static io.stresslab.stress.history.Ops.fail;
import static io.stresslab.stress.history.Ops.info;
import static io.stresslab.stress.history.Ops.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.history.LinearizabilityChecker.KeyResult;
import io.stresslab.stress.history.LinearizabilityChecker.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A corpus of minimal hand-built histories, linearizable and not, for each shipped model. */
class LinearizabilityCheckerTest {
    private static final String K = "k";

    private static <S> KeyResult check(Model<S> model, Op... ops) {
        return new LinearizabilityChecker<>(model).checkKey(K, List.of(ops));
    }

    private static KeyResult register(Op... ops) {
        return check(new RegisterModel("0"), ops);
    }

    @Test
    void readConcurrentWithWriteMaySeeEitherValue() {
        assertThat(register(ok(1, "write", K, 0, 10, null, "1"), ok(2, "read", K, 5, 15, "1")).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
        assertThat(register(ok(1, "write", K, 0, 10, null, "1"), ok(2, "read", K, 5, 15, "0")).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void staleReadAfterCompletedWriteIsNotLinearizable() {
        Op write = ok(1, "write", K, 0, 10, null, "1");
        Op read = ok(2, "read", K, 20, 30, "0");
        KeyResult r = register(write, read);
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.longestPrefix()).containsExactly(write);
        assertThat(r.stateAfterPrefix()).isEqualTo("1");
        assertThat(r.notLinearizable()).containsExactly(read);
        assertThat(r.describe()).contains("NOT linearizable").contains("read(k) -> 0");
    }

    @Test
    void newThenOldReadsDuringOneWriteAreNotLinearizable() {
        KeyResult r = register(ok(1, "write", K, 0, 100, null, "1"), ok(2, "read", K, 10, 20, "1"),
                ok(3, "read", K, 30, 40, "0"));
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void infoWriteIsLinearizableOnlyBecauseItTookEffect() {
        assertThat(register(info(1, "write", K, 0, "1"), ok(2, "read", K, 50, 60, "1")).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
        // the same read cannot be explained if the write had failed for certain
        assertThat(register(fail(1, "write", K, 0, 10, "1"), ok(2, "read", K, 50, 60, "1")).verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void infoWriteIsLinearizableOnlyBecauseItDidNotTakeEffect() {
        // had the info write taken effect before the last read, that read would have seen 2
        assertThat(register(ok(1, "write", K, 0, 10, null, "1"), info(2, "write", K, 20, "2"),
                ok(3, "read", K, 30, 40, "1"), ok(3, "read", K, 50, 60, "1")).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
        // had it been OK, it would have had to take effect before the reads
        assertThat(register(ok(1, "write", K, 0, 10, null, "1"), ok(2, "write", K, 20, 25, null, "2"),
                ok(3, "read", K, 30, 40, "1")).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void infoOpsCannotExplainAnImpossibleValue() {
        assertThat(register(info(1, "write", K, 0, "1"), ok(2, "read", K, 50, 60, "2")).verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void infoCasTakesEffectOnlyWhereItsExpectationHolds() {
        // cas(1,2) can only apply after write(1); the read of 2 needs it
        assertThat(register(info(1, "cas", K, 0, "1", "2"), ok(2, "write", K, 10, 20, null, "1"),
                ok(3, "read", K, 30, 40, "2")).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(register(info(1, "cas", K, 0, "1", "2"), ok(3, "read", K, 30, 40, "2")).verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void lostUpdateShowsAsTwoIncrementsReturningTheSameValue() {
        Op a = ok(1, "incr", K, 0, 10, "1");
        Op b = ok(2, "incr", K, 5, 15, "1");
        KeyResult r = register(a, b);
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.longestPrefix()).hasSize(1);
        assertThat(r.notLinearizable()).hasSize(1);
        assertThat(register(a, ok(2, "incr", K, 5, 15, "2")).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void casResultsMustMatchTheState() {
        assertThat(register(ok(1, "cas", K, 0, 10, "true", "0", "5"), ok(2, "cas", K, 0, 10, "false", "0", "6"),
                ok(1, "read", K, 20, 30, "5")).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(register(ok(1, "cas", K, 0, 10, "true", "0", "5"), ok(2, "cas", K, 0, 10, "true", "0", "6"))
                .verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void executeOnceReturnsOneValueForEveryCaller() {
        ExecuteOnceModel m = new ExecuteOnceModel();
        assertThat(check(m, ok(1, "execute", K, 0, 10, "a"), info(2, "execute", K, 5),
                ok(3, "execute", K, 20, 30, "a")).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        // an info execution alone: the next OK one pins its value
        assertThat(check(m, info(2, "execute", K, 0), ok(3, "execute", K, 20, 30, "z")).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
        assertThat(check(m, ok(1, "execute", K, 0, 10, "a"), ok(2, "execute", K, 5, 15, "b")).verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void leaseHasAtMostOneHolder() {
        LeaseModel m = new LeaseModel();
        assertThat(check(m, ok(1, "acquire", K, 0, 10, "true", "a"), ok(1, "release", K, 20, 30, "true", "a"),
                ok(2, "acquire", K, 15, 40, "true", "b"), ok(3, "holder", K, 50, 60, "b")).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
        assertThat(check(m, ok(1, "acquire", K, 0, 10, "true", "a"), ok(2, "acquire", K, 5, 15, "true", "b"))
                .verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(check(m, ok(1, "acquire", K, 0, 10, "true", "a"), ok(2, "acquire", K, 20, 30, "false", "b"),
                ok(2, "takeover", K, 40, 50, "true", "b", "a"), ok(3, "holder", K, 60, 70, "b")).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
        assertThat(check(m, ok(1, "acquire", K, 0, 10, "true", "a"), ok(2, "takeover", K, 40, 50, "true", "b", "c"))
                .verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        // a refusal while free is impossible
        assertThat(check(m, ok(2, "acquire", K, 0, 10, "false", "b")).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void keysAreCheckedIndependentlyAndTheFailingKeyIsNamed() {
        History h = new History(List.of(ok(1, "write", "a", 0, 10, null, "1"), ok(2, "read", "a", 20, 30, "1"),
                ok(1, "write", "b", 0, 10, null, "1"), ok(2, "read", "b", 20, 30, "0")));
        LinearizabilityChecker.Result r = new LinearizabilityChecker<>(new RegisterModel("0")).check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.failures()).extracting(KeyResult::key).containsExactly("b");
        assertThat(r.keys()).isEqualTo(2);
    }
}
