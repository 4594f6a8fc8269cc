package io.stresslab.stress.scenarios.orch;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.history.History;
import io.stresslab.stress.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ORCH-2's no-takeover-before-expiry judge on hand-made histories of one resource, lease 100 ms. */
class EarlyTakeoverTest {
    private static final long LEASE = 100;

    @Test
    void aGrantWithinTheLeaseOfAnUnreleasedOneIsATakeover() {
        assertThat(LeaseCampaign.earlyTakeovers(new History(List.of(acquire(0, 0, 1, "7"), acquire(1, 40, 41, "8"))),
                LEASE)).hasSize(1);
    }

    @Test
    void aGrantKeepingTheSameTokenWithinTheLeaseIsStillATakeover() {
        assertThat(LeaseCampaign.earlyTakeovers(new History(List.of(acquire(0, 0, 1, "7"), acquire(1, 40, 41, "7"))),
                LEASE)).hasSize(1);
    }

    @Test
    void aGrantAfterTheLeaseIsNoTakeover() {
        assertThat(LeaseCampaign.earlyTakeovers(new History(List.of(acquire(0, 0, 1, "7"), acquire(1, 150, 151, "8"))),
                LEASE)).isEmpty();
    }

    /**
     * Worker 0 is granted token 7 at 1 ms and stalls before recording the reply, which it records at 300 ms; worker 1
     * is granted token 8 at 160 ms, after token 7's lease. Recorded order puts token 7 after token 8, but it came
     * first.
     */
    @Test
    void aStalledOwnersLateRecordedOlderGrantIsJudgedAsTheOneTakenOver() {
        assertThat(LeaseCampaign.earlyTakeovers(new History(List.of(acquire(0, 0, 300, "7"),
                acquire(1, 150, 160, "8"))), LEASE)).isEmpty();
        assertThat(LeaseCampaign.earlyTakeovers(new History(List.of(acquire(0, 0, 300, "7"),
                acquire(1, 50, 60, "8"))), LEASE)).as("token 8 granted 60 ms after token 7's acquire began").hasSize(1);
    }

    private static Op acquire(int worker, long invokeMillis, long completeMillis, String token) {
        return new Op(worker, 0, invokeMillis, "acquire", "res-0", List.of(), invokeMillis * 1_000_000L,
                completeMillis * 1_000_000L, Op.Status.OK, token);
    }
}
