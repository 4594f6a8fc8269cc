package io.stresslab.stress.scenarios.orch;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ORCH-2's reclaim within the lease plus one poll, judged on hand-made histories of one resource: worker 0 is granted
 * it at 0 ms and dies; the lease is 100 ms, so from 150 ms (lease plus a 50 ms poll) the first survivor to try must
 * get it, unless another survivor got it first.
 */
class ReclaimInTimeTest {
    private static final long LEASE = 100;
    private static final Op DEAD_GRANT = acquire(0, 0, 0, 1, Op.Status.OK, "7");

    @Test
    void aRefusalAfterTheLeaseAndOnePollIsCaught() {
        Op late = acquire(1, 0, 160, 162, Op.Status.FAIL, "held");
        assertThat(LeaseCampaign.refusedAfterExpiry(List.of(DEAD_GRANT, late), DEAD_GRANT, LEASE)).isEqualTo(late);
    }

    @Test
    void aGrantAtTheFirstTryIsInTime() {
        Op early = acquire(1, 0, 90, 92, Op.Status.FAIL, "held"); // before the lease ended: a refusal is right
        Op first = acquire(2, 0, 170, 172, Op.Status.OK, "8");
        assertThat(LeaseCampaign.refusedAfterExpiry(List.of(DEAD_GRANT, early, first), DEAD_GRANT, LEASE)).isNull();
    }

    @Test
    void anotherSurvivorGrantedFirstExcusesTheRefusal() {
        Op winner = acquire(2, 0, 140, 170, Op.Status.OK, "8"); // began before the due time, granted after it
        Op loser = acquire(1, 0, 160, 175, Op.Status.FAIL, "held");
        assertThat(LeaseCampaign.refusedAfterExpiry(List.of(DEAD_GRANT, winner, loser), DEAD_GRANT, LEASE)).isNull();
    }

    @Test
    void onlyRefusalsAsHeldCountAndAnUnknownOutcomeEndsTheJudgement() {
        Op injected = acquire(1, 0, 160, 161, Op.Status.FAIL, "40001 injected");
        Op unknown = acquire(2, 0, 165, 166, Op.Status.INFO, null);
        Op refused = acquire(1, 1, 170, 171, Op.Status.FAIL, "held");
        assertThat(LeaseCampaign.refusedAfterExpiry(List.of(DEAD_GRANT, injected, refused), DEAD_GRANT, LEASE))
                .isEqualTo(refused);
        assertThat(LeaseCampaign.refusedAfterExpiry(List.of(DEAD_GRANT, injected, unknown, refused), DEAD_GRANT, LEASE))
                .as("the unknown try may hold the lock now").isNull();
    }

    @Test
    void anotherSurvivorMaybeGrantedFirstExcusesTheRefusal() {
        // began before the due time and its outcome is unknown (a lost reply): it may hold what the other was refused
        Op maybe = acquire(2, 0, 95, 300, Op.Status.INFO, null);
        Op refused = acquire(1, 0, 160, 162, Op.Status.FAIL, "held");
        assertThat(LeaseCampaign.refusedAfterExpiry(List.of(DEAD_GRANT, maybe, refused), DEAD_GRANT, LEASE)).isNull();
    }

    private static Op acquire(int worker, int thread, long invokeMillis, long completeMillis, Op.Status status,
                              String result) {
        return new Op(worker, thread, invokeMillis, "acquire", "res-0", List.of(), invokeMillis * 1_000_000L,
                completeMillis * 1_000_000L, status, result);
    }
}
