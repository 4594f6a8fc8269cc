package io.stresslab.stress.history;

import static io.stresslab.stress.history.Ops.info;
import static io.stresslab.stress.history.Ops.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InvariantCheckersTest {
    private static History h(Op... ops) {
        return new History(List.of(ops));
    }

    @Test
    void mutualExclusionFlagsOverlappingSectionsOnly() {
        MutualExclusionChecker c = new MutualExclusionChecker("enter", "exit");
        assertThat(c.check(h(ok(1, "enter", "r", 0, 10, null), ok(1, "exit", "r", 20, 25, null),
                ok(2, "enter", "r", 15, 30, null), ok(2, "exit", "r", 40, 45, null)))).isEmpty();
        List<HistoryChecker.Violation> v = c.check(h(ok(1, "enter", "r", 0, 10, null),
                ok(1, "exit", "r", 40, 45, null), ok(2, "enter", "r", 15, 20, null), ok(2, "exit", "r", 30, 35, null)));
        assertThat(v).hasSize(1);
        assertThat(v.get(0).ops()).hasSize(2);
        // different resources never conflict
        assertThat(c.check(h(ok(1, "enter", "r", 0, 10, null), ok(2, "enter", "s", 5, 10, null)))).isEmpty();
    }

    @Test
    void aKilledWorkersSectionEndsAtItsLastEvent() {
        MutualExclusionChecker c = new MutualExclusionChecker("enter", "exit");
        // worker 1 entered and was killed after its last event at 12; worker 2 entered at 30: fine
        assertThat(c.check(h(ok(1, "enter", "r", 0, 10, null), info(1, "work", "r", 12),
                ok(2, "enter", "r", 20, 30, null)))).isEmpty();
        // but an overlap before its last event is a violation
        assertThat(c.check(h(ok(1, "enter", "r", 0, 10, null), ok(1, "work", "r", 40, 50, "done"),
                ok(2, "enter", "r", 20, 30, null)))).hasSize(1);
    }

    @Test
    void singleHolderFlagsTwoActiveHolders() {
        SingleHolderChecker c = new SingleHolderChecker("issue", "revoke");
        assertThat(c.check(h(ok(1, "issue", "agent", 0, 10, "t1"), ok(2, "revoke", "agent", 20, 30, "true", "t1"),
                ok(2, "issue", "agent", 25, 40, "t2")))).isEmpty();
        assertThat(c.check(h(ok(1, "issue", "agent", 0, 10, "t1"), ok(2, "issue", "agent", 5, 12, "t2"))))
                .singleElement().satisfies(v -> assertThat(v.key()).isEqualTo("agent"));
    }

    @Test
    void exactlyOnceFlagsDuplicatesMissingEffectsAndDifferentResponses() {
        ExactlyOnceChecker c = new ExactlyOnceChecker("effect", "request");
        assertThat(c.check(h(ok(1, "effect", "k", 0, 1, "a"), ok(1, "request", "k", 0, 2, "a"),
                ok(2, "request", "k", 0, 3, "a")))).isEmpty();
        assertThat(c.check(h(ok(1, "effect", "k", 0, 1, "a"), ok(2, "effect", "k", 0, 1, "b"),
                ok(1, "request", "k", 0, 2, "a"), ok(2, "request", "k", 0, 3, "b"))))
                .extracting(HistoryChecker.Violation::message)
                .containsExactly("side effect ran 2 times", "2 different responses [a, b]");
        assertThat(c.check(h(ok(1, "request", "k", 0, 2, "a")))).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("never ran"));
    }

    @Test
    void committedWritesMustBeInTheFinalState() {
        Set<String> finalRows = Set.of("1");
        CommittedWritesChecker c = new CommittedWritesChecker("insert", op -> finalRows.contains(op.arg(0)));
        assertThat(c.check(h(ok(1, "insert", "k", 0, 1, null, "1"), info(1, "insert", "k", 2, "2")))).isEmpty();
        assertThat(c.check(h(ok(1, "insert", "k", 0, 1, null, "1"), ok(1, "insert", "k", 2, 3, null, "3"))))
                .singleElement().satisfies(v -> assertThat(v.ops()).hasSize(1));
    }
}
