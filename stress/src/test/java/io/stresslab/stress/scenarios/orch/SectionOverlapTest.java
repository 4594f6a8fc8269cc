package io.stresslab.stress.scenarios.orch;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.history.History;
import io.stresslab.stress.history.MutualExclusionChecker;
import io.stresslab.stress.history.Op;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ORCH-2's exclusion judge on hand-made histories of one resource: owner A (worker 0) enters at 0 ms and invokes its
 * increment at 10 ms; then it stalls (a pause, or a starved CPU) past its lease, so its increment's reply and its exit
 * are recorded at 900 ms. Owner B (worker 1) enters at {@code bEnters}.
 */
class SectionOverlapTest {

    @Test
    void anHeirThatEntersAfterTheStalledOwnersAcceptedWriteBeganIsNoOverlap() {
        assertThat(overlaps(Op.Status.OK, "1", 500)).isEmpty();
    }

    @Test
    void twoOwnersInsideBeforeEitherWroteStillOverlap() {
        assertThat(overlaps(Op.Status.OK, "1", 5)).hasSize(1);
    }

    @Test
    void aStalledOwnerWhoseWriteIsOfUnknownOutcomeIsNoOverlap() {
        assertThat(overlaps(Op.Status.INFO, null, 500)).isEmpty(); // the ledger tells whether that write applied
    }

    @Test
    void twoOwnersInsideBeforeEitherWroteOverlapWhateverTheWritesBecame() {
        assertThat(overlaps(Op.Status.INFO, null, 5)).hasSize(1);
    }

    @Test
    void aStalledOwnerFencedOutIsNoOverlap() {
        assertThat(overlaps(Op.Status.FAIL, "stale fencing token 7", 500)).isEmpty();
    }

    private static List<?> overlaps(Op.Status aWrite, String aResult, long bEnters) {
        List<Op> ops = new ArrayList<>();
        ops.add(op(0, 1, "enter", List.of("7", "0"), 0, 1, Op.Status.OK, "0"));
        ops.add(op(0, 2, "increment", List.of("7", "1"), 10, 900, aWrite, aResult));
        ops.add(op(0, 3, "exit", List.of(), 900, 900, Op.Status.OK, ""));
        ops.add(op(1, 1, "enter", List.of("8", "0"), bEnters, bEnters + 1, Op.Status.OK, "1"));
        ops.add(op(1, 2, "increment", List.of("8", "2"), bEnters + 2, bEnters + 3, Op.Status.OK, "2"));
        ops.add(op(1, 3, "exit", List.of(), bEnters + 4, bEnters + 4, Op.Status.OK, ""));
        History judged = LeaseCampaign.untilTheirWrite(LeaseCampaign.withoutFencedSections(new History(ops)));
        return new MutualExclusionChecker("enter", "exit").check(judged);
    }

    private static Op op(int worker, long id, String name, List<String> args, long invokeMillis, long completeMillis,
                         Op.Status status, String result) {
        return new Op(worker, 0, id, name, "res-0", args, invokeMillis * 1_000_000L, completeMillis * 1_000_000L,
                status, result);
    }
}
